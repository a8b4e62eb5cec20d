/**
 * JSON Schema (an OpenAPI document's, 3.0 or 3.1) as zod source code, for connectors scaffolded
 * from the document: the shapes and what is required, nullable and enumerated, not every
 * constraint (the vendor checks those, and the fake checks requests against the document itself).
 * Objects are loose: a service answers more fields than its document lists more often than not.
 * `#/components/schemas/<Name>` becomes a named schema of its own in schemas.ts; a reference back
 * to one still being written (a recursive schema) is `z.lazy`.
 */
type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const COMPONENT = /^#\/components\/schemas\/(.+)$/;

export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `input.petId`, or `input['api-version']` for a name that is no identifier. */
export function access(object: string, name: string): string {
  return IDENTIFIER.test(name) ? `${object}.${name}` : `${object}[${propertyKey(name)}]`;
}

function identifierFor(component: string, taken: Set<string>): string {
  const words = component.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let name = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('') || 'Schema';
  if (!/^[A-Za-z]/.test(name)) name = `Schema${name}`;
  let unique = name;
  for (let n = 2; taken.has(unique); n++) unique = `${name}${n}`;
  taken.add(unique);
  return unique;
}

export class ZodSourceWriter {
  private readonly names = new Map<string, string>();
  private readonly taken = new Set<string>(['z']);
  private readonly written = new Map<string, string>();
  private readonly writing = new Set<string>();
  /** In dependency order: a schema comes after those it names directly. */
  private readonly order: string[] = [];

  constructor(private readonly document: Schema) {}

  /** The expression for `schema`; the components it names are written on the way. */
  expression(schema: unknown): string {
    return this.emit(schema, 0);
  }

  /** The identifiers of the components used so far. */
  used(): string[] {
    return [...this.order].map((component) => this.names.get(component)!);
  }

  /** schemas.ts: every component used, as `export const Name = …`. */
  schemasModule(header: string): string {
    const lines = [header, "import { z } from 'zod';", ''];
    for (const component of this.order) {
      const name = this.names.get(component)!;
      lines.push(`export const ${name} = ${this.written.get(component)!};`, `export type ${name} = z.output<typeof ${name}>;`, '');
    }
    return lines.join('\n');
  }

  private reference(ref: string): string {
    const component = COMPONENT.exec(ref)?.[1];
    if (!component) return this.emit(this.resolve(ref), 1);
    let name = this.names.get(component);
    if (!name) {
      name = identifierFor(decodeURIComponent(component).replace(/~1/g, '/').replace(/~0/g, '~'), this.taken);
      this.names.set(component, name);
      this.writing.add(component);
      this.written.set(component, this.emit(this.resolve(ref), 1));
      this.writing.delete(component);
      this.order.push(component);
      return name;
    }
    // Still being written: it refers to itself, directly or through others. Typed loosely, or
    // TypeScript could not infer the recursive constant's type.
    return this.writing.has(component) ? `z.lazy((): z.ZodType => ${name})` : name;
  }

  private resolve(ref: string): unknown {
    if (!ref.startsWith('#/')) throw new Error(`external $ref "${ref}" is not supported`);
    let node: unknown = this.document;
    for (const segment of ref.slice(2).split('/')) node = isSchema(node) ? node[decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    if (node === undefined) throw new Error(`$ref "${ref}" does not resolve`);
    return node;
  }

  private emit(schema: unknown, depth: number): string {
    if (depth > 40) return 'z.unknown()';
    if (!isSchema(schema)) return 'z.unknown()';
    if (typeof schema.$ref === 'string') return this.reference(schema.$ref);
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
    const nullable = schema.nullable === true || types.includes('null');
    const base = this.base(
      schema,
      types.filter((type) => type !== 'null'),
      depth,
    );
    return nullable && base !== 'z.null()' ? `${base}.nullable()` : base;
  }

  private base(schema: Schema, types: string[], depth: number): string {
    const next = (node: unknown) => this.emit(node, depth + 1);
    if ('const' in schema) return `z.literal(${JSON.stringify(schema.const)})`;
    if (Array.isArray(schema.enum)) {
      const values = schema.enum.filter((value) => value !== null);
      if (values.length > 0 && values.every((value) => typeof value === 'string')) return `z.enum(${JSON.stringify(values)})`;
      const literals = values.filter((value) => ['string', 'number', 'boolean'].includes(typeof value)).map((value) => `z.literal(${JSON.stringify(value)})`);
      if (literals.length === 1) return literals[0]!;
      if (literals.length > 1) return `z.union([${literals.join(', ')}])`;
    }
    const choices = (Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined) as unknown[] | undefined;
    if (choices && choices.length > 0) {
      const options = choices.filter((choice) => !(isSchema(choice) && choice.type === 'null')).map(next);
      return options.length === 1 ? options[0]! : `z.union([${options.join(', ')}])`;
    }
    if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
      return schema.allOf.map(next).reduce((left, right) => `z.intersection(${left}, ${right})`);
    }
    const type = types[0] ?? (schema.properties ? 'object' : schema.items ? 'array' : undefined);
    if (types.length > 1) return `z.union([${types.map((t) => this.base({ ...schema, type: t }, [t], depth)).join(', ')}])`;
    switch (type) {
      case 'string':
        return 'z.string()';
      case 'integer':
        return 'z.number().int()';
      case 'number':
        return 'z.number()';
      case 'boolean':
        return 'z.boolean()';
      case 'null':
        return 'z.null()';
      case 'array':
        return `z.array(${next(schema.items)})`;
      case 'object':
        return this.object(schema, depth);
      default:
        return 'z.unknown()';
    }
  }

  private object(schema: Schema, depth: number): string {
    const properties = isSchema(schema.properties) ? schema.properties : {};
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
    const names = Object.keys(properties);
    if (names.length === 0) {
      const values = isSchema(schema.additionalProperties) ? this.emit(schema.additionalProperties, depth + 1) : 'z.unknown()';
      return `z.record(z.string(), ${values})`;
    }
    const fields = names.map((name) => `${propertyKey(name)}: ${this.emit(properties[name], depth + 1)}${required.has(name) ? '' : '.optional()'}`);
    return `z.looseObject({ ${fields.join(', ')} })`;
  }
}
