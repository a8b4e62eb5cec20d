/**
 * The smallest value a JSON Schema accepts, for the inputs, answers and channels a scaffolded test
 * sends: required properties only, the first enum value, lists of one item in an input and empty
 * in an answer, and `null` where an answer's schema allows it (so a fake's page has no next
 * cursor), formats filled in. The caller checks the value
 * against the real schema (zod, or the document's), so a sample this cannot make is reported, not
 * written into a test that fails.
 */
type Schema = Record<string, unknown>;

export interface SampleOptions {
  /** Where `$ref`s resolve: the document (OpenAPI) or the schema itself (zod's `$defs`). */
  root?: unknown;
  /** Answers: `null` wherever allowed, which ends most paginations. Inputs: a value. */
  preferNull?: boolean;
}

const FORMATS: Record<string, string> = {
  'date-time': '2026-01-01T00:00:00.000Z',
  date: '2026-01-01',
  time: '00:00:00Z',
  email: 'user@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  'uri-reference': 'https://example.com/',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  uuid: '00000000-0000-4000-8000-000000000000',
  password: 'test-secret-value',
  byte: 'dGVzdA==',
  binary: 'test',
};

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

function resolve(ref: string, root: unknown): unknown {
  if (!ref.startsWith('#')) throw new Error(`cannot sample an external $ref "${ref}"`);
  let node: unknown = root;
  for (const segment of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isSchema(node) ? node[key] : undefined;
  }
  if (node === undefined) throw new Error(`$ref "${ref}" does not resolve`);
  return node;
}

function allows(schema: Schema, type: string): boolean {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.includes(type) || (type === 'null' && schema.nullable === true);
}

export function sample(schema: unknown, options: SampleOptions = {}, depth = 0): unknown {
  const root = options.root ?? schema;
  if (depth > 20) return null; // a recursive schema: stop where null or an empty value usually fits
  if (schema === true || schema === undefined) return null;
  if (!isSchema(schema)) return null;
  const next = (node: unknown) => sample(node, { ...options, root }, depth + 1);
  if (typeof schema.$ref === 'string') return next(resolve(schema.$ref, root));
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return options.preferNull && schema.enum.includes(null) ? null : (schema.enum.find((value) => value !== null) ?? null);
  if (options.preferNull && allows(schema, 'null')) return null;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if ('example' in schema && schema.example !== undefined) return schema.example;
  const choices = (Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined) as unknown[] | undefined;
  if (choices) {
    const isNull = (choice: unknown) => isSchema(choice) && (choice.type === 'null' || choice.const === null);
    const pick = options.preferNull ? (choices.find(isNull) ?? choices[0]) : (choices.find((choice) => !isNull(choice)) ?? choices[0]);
    return next(pick);
  }
  if (Array.isArray(schema.allOf)) return mergeAll(schema.allOf.map(next));
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  const type = types.find((t) => t !== 'null') ?? (schema.properties ? 'object' : schema.items ? 'array' : types[0]);
  switch (type) {
    case 'object': {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      return Object.fromEntries(required.map((name) => [name, next(properties[name] ?? {})]));
    }
    case 'array': {
      // An answer's list is empty (no next page); an input's has one item, which a required list needs.
      const count = typeof schema.minItems === 'number' ? Math.max(schema.minItems, options.preferNull ? 0 : 1) : options.preferNull ? 0 : 1;
      return Array.from({ length: count }, () => next(schema.items ?? {}));
    }
    case 'string':
      return stringSample(schema);
    case 'integer':
    case 'number':
      return numberSample(schema, type === 'integer');
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return null;
  }
}

function stringSample(schema: Schema): string {
  const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
  let text = format ?? 'example';
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  while (text.length < min) text += 'x';
  return text.length > max ? text.slice(0, Math.max(max, min)) : text;
}

function numberSample(schema: Schema, integer: boolean): number {
  const lowest = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + (integer ? 1 : 0.5) : 1;
  const highest = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - (integer ? 1 : 0.5) : Infinity;
  const value = Math.min(Math.max(1, lowest), highest);
  return integer ? Math.ceil(value) : value;
}

function mergeAll(values: unknown[]): unknown {
  if (values.every(isSchema)) return Object.assign({}, ...values);
  return values.find((value) => value !== null) ?? null;
}
