/**
 * `$ref`s inside one document: resolving `#/…` pointers, and finding the schemas that reach a
 * reference nothing answers. Validation at run time compiles a schema together with the
 * document's `components` only, so a reference is usable there only when it points into
 * `#/components/` and resolves.
 */
import { isObject, walkSchema, type Json } from './schema-walk';

/** A JSON pointer (`/paths/~1pets/get`, as Ajv reports places) as its segments. */
export function jsonPointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A `$ref` (`#/components/schemas/Pet`, a URI fragment, so percent-encoded) as its segments; `#` alone is the root. */
export function pointerSegments(ref: string): string[] {
  return jsonPointerSegments(ref.replace(/^#/, '')).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      // A stray '%' is kept as written.
      return part;
    }
  });
}

/** The value `ref` (`#/components/schemas/Pet`) points at, or undefined. */
export function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = doc;
  for (const segment of pointerSegments(ref)) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

/** The `$ref`s a schema contains, its subschemas included, without following them. */
function refsIn(schema: unknown): string[] {
  const refs: string[] = [];
  walkSchema(schema, [], (node) => {
    if (typeof node.$ref === 'string') refs.push(node.$ref);
  });
  return refs;
}

export class SchemaRefs {
  private readonly outgoing = new Map<string, string[]>();
  /** Refs known to reach no broken reference (a closure found clean is clean for all its members). */
  private readonly clean = new Set<string>();

  constructor(private readonly doc: Json) {}

  private usable(ref: string): boolean {
    return ref.startsWith('#/components/') && resolvePointer(this.doc, ref) !== undefined;
  }

  private refsOf(ref: string): string[] {
    let refs = this.outgoing.get(ref);
    if (!refs) {
      refs = refsIn(resolvePointer(this.doc, ref));
      this.outgoing.set(ref, refs);
    }
    return refs;
  }

  /** The first reference reachable from `schema` that cannot be resolved at run time, if any. */
  brokenRef(schema: unknown): string | undefined {
    const seen = new Set<string>();
    const queue = refsIn(schema);
    while (queue.length > 0) {
      const ref = queue.pop()!;
      if (seen.has(ref) || this.clean.has(ref)) continue;
      seen.add(ref);
      if (!this.usable(ref)) return ref;
      queue.push(...this.refsOf(ref));
    }
    // Everything reachable from here resolved: each of these refs reaches only resolvable ones.
    for (const ref of seen) this.clean.add(ref);
    return undefined;
  }
}

/**
 * Follows a chain of `$ref`s (a parameter, body or response that is a reference) to the object it
 * names. Throws, naming the reference, when it resolves to nothing or loops: such a part of the
 * document cannot be imported.
 */
export function derefObject(doc: Json, value: unknown): Json {
  let current = value;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (seen.has(ref)) throw new Error(`$ref "${ref}" refers to itself`);
    seen.add(ref);
    current = resolvePointer(doc, ref);
    if (current === undefined) throw new Error(`$ref "${ref}" does not resolve`);
  }
  if (!isObject(current)) throw new Error(`expected an object, found ${current === null ? 'null' : Array.isArray(current) ? 'an array' : typeof current}`);
  return current;
}
