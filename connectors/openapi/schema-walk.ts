/**
 * Walking JSON Schemas and OpenAPI documents without following `$ref`s, so the cost is linear in
 * the document's size whatever its references do (a `$ref` bomb is small until dereferenced).
 * Iterative on purpose: a deeply nested hostile schema must not overflow the stack.
 */
export type Json = Record<string, unknown>;

/** Keywords whose value maps names to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas']);
/** Keywords whose value is a schema or an array of schemas. */
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
const SCHEMA_SINGLE = new Set(['not', 'additionalProperties', 'additionalItems', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'contentSchema']);

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** How a keyword holds subschemas: a map of names to schemas, a schema or list of them, one schema; undefined for a plain keyword. */
export function subschemaKind(keyword: string): 'map' | 'list' | 'single' | undefined {
  if (SCHEMA_MAPS.has(keyword) || keyword === 'dependencies') return 'map';
  if (SCHEMA_LISTS.has(keyword)) return 'list';
  return SCHEMA_SINGLE.has(keyword) ? 'single' : undefined;
}

/** The direct subschemas of a schema node, each with the path segments from the node to it. */
export function subschemas(node: Json): Array<[string[], Json]> {
  const found: Array<[string[], Json]> = [];
  for (const [keyword, value] of Object.entries(node)) {
    if (SCHEMA_MAPS.has(keyword) || keyword === 'dependencies') {
      // `dependencies` (draft 7) maps names to a schema or to a list of property names.
      if (isObject(value)) for (const [name, sub] of Object.entries(value)) if (isObject(sub)) found.push([[keyword, name], sub]);
    } else if (SCHEMA_LISTS.has(keyword)) {
      if (Array.isArray(value)) value.forEach((sub, i) => isObject(sub) && found.push([[keyword, String(i)], sub]));
      else if (isObject(value)) found.push([[keyword], value]);
    } else if (SCHEMA_SINGLE.has(keyword) && isObject(value)) {
      found.push([[keyword], value]);
    }
  }
  return found;
}

/** Visits `schema` and each of its subschemas once per position, with its path; `$ref`s are not followed. */
export function walkSchema(schema: unknown, path: string[], visit: (node: Json, path: string[]) => void): void {
  if (!isObject(schema)) return;
  const stack: Array<[Json, string[]]> = [[schema, path]];
  while (stack.length > 0) {
    const [node, at] = stack.pop()!;
    visit(node, at);
    for (const [segments, sub] of subschemas(node)) stack.push([sub, [...at, ...segments]]);
  }
}

// Example values are data, not schemas; extensions are the vendor's own.
const NOT_SCHEMA_HOLDERS = new Set(['example', 'examples']);

/**
 * Every schema of an OpenAPI 3 document with where it sits: `components.schemas.*` and each
 * `schema` of a parameter, header or media type, wherever they are (paths, components, webhooks).
 */
export function documentSchemas(doc: Json): Array<[string[], Json]> {
  const found: Array<[string[], Json]> = [];
  const stack: Array<[unknown, string[]]> = [[doc, []]];
  while (stack.length > 0) {
    const [node, at] = stack.pop()!;
    if (Array.isArray(node)) {
      node.forEach((item, i) => stack.push([item, [...at, String(i)]]));
      continue;
    }
    if (!isObject(node)) continue;
    const isSchemaMap = at.length === 2 && at[0] === 'components' && at[1] === 'schemas';
    for (const [key, value] of Object.entries(node)) {
      if (isSchemaMap || key === 'schema') {
        if (isObject(value)) found.push([[...at, key], value]);
      } else if (!NOT_SCHEMA_HOLDERS.has(key) && !key.startsWith('x-')) {
        stack.push([value, [...at, key]]);
      }
    }
  }
  return found;
}

/** `paths./pets/{id}.get.responses.200`: the location format of ImportIssue. */
export const locationOf = (path: readonly string[]): string => path.join('.') || '(root)';

/** Every `key: value` entry of every object in `node`, with the path of the object holding it; iterative, so depth cannot overflow the stack. */
export function everyEntry(node: unknown, visit: (key: string, value: unknown, path: string[]) => boolean | void): void {
  const stack: Array<[unknown, string[]]> = [[node, []]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (Array.isArray(value)) value.forEach((item, i) => stack.push([item, [...path, String(i)]]));
    else if (isObject(value)) {
      // A visitor returning true has consumed the entry: its value is not walked into.
      for (const [key, child] of Object.entries(value)) if (visit(key, child, path) !== true) stack.push([child, [...path, key]]);
    }
  }
}
