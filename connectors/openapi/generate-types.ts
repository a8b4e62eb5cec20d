/**
 * TypeScript types for an imported application's actions (json-schema-to-typescript), so flows
 * call them with checked input and output: `useImportedConnectors<PetstoreV1>('petstore@v1')`.
 *
 * The generator is fed a cleaned copy of the schemas, not the document's own:
 * - the document's component schemas go under `$defs`, the generator's place for named schemas.
 *   Anywhere else (a `components` key) it guesses which objects are schemas, takes a map of
 *   properties for one, and a property named `items` then made it add `minItems?: 0` as a member;
 * - only JSON Schema keywords are copied, each subschema where the keyword says it is, so a
 *   property named like a keyword stays a property, and the generator's own keywords (`tsType`,
 *   `tsEnumNames`) cannot come from a document: a `tsType` would be code written into the file;
 * - OpenAPI 3.0's `nullable` becomes the `null` it means.
 * The result is formatted with the project's prettier settings.
 */
import { compile } from 'json-schema-to-typescript';
import { actionInputSchema } from './to-runtime';
import { resolvePointer } from './refs';
import { isObject, subschemaKind, type Json } from './schema-walk';
import { applicationName, type ImportedSpec } from './spec';

/** `inventory`, `v2` → `InventoryV2`. */
export function typeName(...parts: string[]): string {
  return parts
    .join(' ')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')
    .replace(/^(\d)/, 'T$1');
}

/** Keywords copied as they are (their values are data, not subschemas). */
const PLAIN_KEYWORDS = new Set(['type', 'enum', 'const', 'required', 'title', 'description', 'format', 'default', 'deprecated', 'minItems', 'maxItems', 'uniqueItems']);
/** Subschema keywords the generator reads. */
const SCHEMA_KEYWORDS = new Set(['properties', 'patternProperties', 'additionalProperties', 'items', 'prefixItems', 'additionalItems', 'allOf', 'anyOf', 'oneOf', 'not', '$defs', 'definitions']);

const COMPONENT_SCHEMAS = '#/components/schemas/';

/** Copies schemas for the generator, keyword by keyword; `$ref`s point into `$defs`. */
class SchemaCleaner {
  readonly defs: Record<string, unknown> = {};
  private readonly extra = new Map<string, string>();

  constructor(private readonly components: unknown) {}

  clean(schema: unknown, depth = 0): unknown {
    if (typeof schema === 'boolean') return schema;
    if (!isObject(schema)) return {};
    // Stored specs come from documents processed within limits; this bounds the recursion anyway.
    if (depth > 200) return {};
    const out: Json = {};
    for (const [keyword, value] of Object.entries(schema)) {
      if (keyword === '$ref' && typeof value === 'string') {
        const target = this.refTarget(value);
        if (target) out.$ref = target;
      } else if (PLAIN_KEYWORDS.has(keyword)) {
        out[keyword] = structuredClone(value);
      } else if (SCHEMA_KEYWORDS.has(keyword)) {
        const kind = subschemaKind(keyword);
        if (kind === 'map' && isObject(value)) out[keyword] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, this.clean(sub, depth + 1)]));
        else if (Array.isArray(value)) out[keyword] = value.map((sub) => this.clean(sub, depth + 1));
        else if (isObject(value) || typeof value === 'boolean') out[keyword] = this.clean(value, depth + 1);
      }
    }
    return schema.nullable === true ? nullable(out) : out;
  }

  /** Where a `$ref` points in the cleaned schema, or undefined for one that resolves to nothing. */
  private refTarget(ref: string): string | undefined {
    if (ref.startsWith(COMPONENT_SCHEMAS)) return `#/$defs/${ref.slice(COMPONENT_SCHEMAS.length)}`;
    // Another part of components that is a schema (rare): a definition of its own.
    const known = this.extra.get(ref);
    if (known) return known;
    const target = ref.startsWith('#/components/') ? resolvePointer({ components: this.components }, ref) : undefined;
    if (!isObject(target)) return undefined;
    const name = `Ref${this.extra.size + 1}`;
    this.extra.set(ref, `#/$defs/${name}`);
    this.defs[name] = this.clean(target);
    return `#/$defs/${name}`;
  }
}

/** OpenAPI 3.0's `nullable: true` as JSON Schema says it. */
function nullable(schema: Json): Json {
  if (typeof schema.type === 'string') return { ...schema, type: [schema.type, 'null'], ...(Array.isArray(schema.enum) ? { enum: [...schema.enum, null] } : {}) };
  return { anyOf: [schema, { type: 'null' }] };
}

/** The interface `app` (`PetstoreV1`) and the types it refers to, unformatted. */
async function actionTypes(spec: ImportedSpec, app: string): Promise<string> {
  const cleaner = new SchemaCleaner(spec.components);
  const schemas = isObject(spec.components) && isObject(spec.components.schemas) ? spec.components.schemas : {};
  const defs: Record<string, unknown> = Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, cleaner.clean(schema)]));
  // One schema holding every action's input and output, so shared components become shared types.
  const properties: Record<string, unknown> = {};
  for (const action of spec.actions) {
    properties[action.name] = {
      type: 'object',
      additionalProperties: false,
      required: ['input', 'output'],
      properties: { input: { ...(cleaner.clean(actionInputSchema(action)) as Json), title: typeName(action.name, 'input') }, output: cleaner.clean(action.output ?? {}) },
    };
  }
  const schema = { type: 'object', additionalProperties: false, required: spec.actions.map((a) => a.name), properties, $defs: { ...defs, ...cleaner.defs } };
  return compile(schema as never, app, { bannerComment: '', additionalProperties: false, unreachableDefinitions: false, strictIndexSignatures: true, format: false });
}

/** `text` as prettier writes the file at `filepath` (its parser from the name), with the project's settings (.prettierrc). */
export async function formatFile(text: string, filepath: string): Promise<string> {
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(filepath)) ?? {};
  return prettier.format(text, { ...config, filepath });
}

/** The types `npm run openapi:types` writes to `filepath` for one imported version. */
export async function generateTypes(spec: ImportedSpec, filepath: string): Promise<string> {
  const app = typeName(spec.slug, `v${spec.version}`);
  const name = applicationName(spec.slug, spec.version);
  const header = `// Generated from ${name} (${spec.title}) by \`npm run openapi:types\`. Do not edit.\n// Use in a flow: const api = useImportedConnectors<${app}>('${name}');\n\n`;
  return formatFile(header + (await actionTypes(spec, app)), filepath);
}

/**
 * The types of a committed application (`applications/<name>/openapi.types.ts`): its actions'
 * interface and the reference flows name it by, which says whether it verifies webhook
 * signatures, so a webhook flow on it without `unsigned()` compiles only when it does.
 */
export async function generateCommittedTypes(spec: ImportedSpec, options: { filepath: string; sources: string[]; signed: boolean }): Promise<string> {
  const app = typeName(spec.slug, `v${spec.version}`);
  const name = applicationName(spec.slug, spec.version);
  const reference = app.charAt(0).toLowerCase() + app.slice(1);
  const text = [
    `// Generated by \`npm run generate\` (scripts/generate.mjs) from ${options.sources.join(' and ')}: do not edit.`,
    '// `npm run build` and `npm test` regenerate it; runtime/generate-registries.test.ts fails when it is stale.',
    "import type { ImportedApplication } from '../framework/imported-application';",
    '',
    `/** ${spec.title} as flows name it: \`flow(…, { application: ${reference} })\`, \`useImportedConnectors(${reference})\`. */`,
    `export const ${reference} = { kind: 'imported', name: '${name}' } as ImportedApplication<'${name}', ${app}, ${options.signed}>;`,
    '',
    await actionTypes(spec, app),
  ].join('\n');
  return formatFile(text, options.filepath);
}
