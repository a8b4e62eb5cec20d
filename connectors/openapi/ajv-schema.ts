/**
 * OpenAPI schemas as Ajv compiles them. Three steps, in place, on a copy the caller owns:
 *  1. dialect: OpenAPI 3.0 is draft-4-like where Ajv reads draft 7 (`exclusiveMinimum: true` next
 *     to `minimum` becomes the number), and `nullable` is 3.0 only (3.1 uses `type: [..., 'null']`);
 *  2. keywords Ajv's meta-schema rejects (`required: true` on a property, `type: 'integr'`) are
 *     dropped, one keyword, not the schema: imported documents have such faults, and one of them
 *     deep in a response must not make the operation unusable;
 *  3. `nullable: true` without `type` (`{nullable: true, allOf: [{$ref}]}`, common in real
 *     documents, GitHub's has 135) becomes `anyOf: [it, {type: 'null'}]`: Ajv refuses it as written.
 * Steps 1 and 2 keep every keyword where it was, so what step 2 drops has the document's location.
 */
import type Ajv from 'ajv';
import { jsonPointerSegments } from './refs';
import { isObject, subschemaKind, walkSchema, type Json } from './schema-walk';

export type Dialect = '3.0' | '3.1';

export interface DroppedKeyword {
  /** Segments from the schema root to the keyword. */
  path: string[];
  message: string;
}

function translateDialect(root: Json, dialect: Dialect): void {
  walkSchema(root, [], (node) => {
    if (dialect === '3.1') {
      if (typeof node.nullable === 'boolean') delete node.nullable;
      return;
    }
    for (const [exclusive, bound] of [
      ['exclusiveMinimum', 'minimum'],
      ['exclusiveMaximum', 'maximum'],
    ] as const) {
      if (typeof node[exclusive] !== 'boolean') continue;
      if (node[exclusive] === true && typeof node[bound] === 'number') {
        node[exclusive] = node[bound];
        delete node[bound];
      } else {
        delete node[exclusive];
      }
    }
  });
}

/**
 * Removes the keyword an Ajv meta-schema error points at: the first segment of the error's path
 * that is not a way into a subschema (or the entry of a map of schemas that is not a schema).
 */
function dropAt(root: Json, segments: string[]): string[] | undefined {
  let node = root;
  let i = 0;
  while (i < segments.length) {
    const keyword = segments[i]!;
    if (!Object.prototype.hasOwnProperty.call(node, keyword)) return undefined;
    const value = node[keyword];
    const kind = subschemaKind(keyword);
    const rest = segments.length - i - 1;
    if (kind === 'map' && isObject(value) && rest >= 1) {
      const name = segments[i + 1]!;
      const sub = value[name];
      if (isObject(sub) && rest >= 2) {
        node = sub;
        i += 2;
        continue;
      }
      delete value[name];
      return segments.slice(0, i + 2);
    }
    if (kind === 'list' && Array.isArray(value) && rest >= 1) {
      const sub: unknown = value[Number(segments[i + 1])];
      if (isObject(sub) && rest >= 2) {
        node = sub;
        i += 2;
        continue;
      }
    } else if ((kind === 'list' || kind === 'single') && isObject(value) && rest >= 1) {
      node = value;
      i += 1;
      continue;
    }
    delete node[keyword];
    return segments.slice(0, i + 1);
  }
  return undefined;
}

/** Drops what `engine`'s meta-schema rejects; returns what was dropped. */
function dropInvalidKeywords(engine: Ajv, root: Json): DroppedKeyword[] {
  const dropped: DroppedKeyword[] = [];
  // One pass usually settles it; a drop can leave a parent invalid in a way reported only then.
  for (let pass = 0; pass < 3; pass++) {
    if (engine.validateSchema(root)) break;
    const errors = engine.errors ?? [];
    // An error at a place where a deeper one exists only says an alternative (anyOf in the
    // meta-schema) failed because of the deeper one: drop the deeper keyword, not the parent.
    const ancestors = new Set(
      errors.flatMap((error) =>
        error.instancePath
          .split('/')
          .map((_, i, parts) => parts.slice(0, i).join('/'))
          .slice(1),
      ),
    );
    let changed = false;
    for (const error of errors.filter((e) => !ancestors.has(e.instancePath))) {
      const path = dropAt(root, jsonPointerSegments(error.instancePath));
      if (path) {
        changed = true;
        dropped.push({ path, message: `${error.message ?? 'invalid'}; the keyword is ignored at validation` });
      }
    }
    if (!changed) break;
  }
  return dropped;
}

function wrapNullable(root: Json): void {
  walkSchema(root, [], (node) => {
    if (node.nullable !== true || 'type' in node) return;
    const inner: Json = { ...node };
    delete inner.nullable;
    for (const key of Object.keys(node)) delete node[key];
    node.anyOf = [inner, { type: 'null' }];
  });
}

/** Makes `root` (owned by the caller, changed in place) compilable by `engine`; returns the keywords dropped. */
export function prepareForAjv(engine: Ajv, root: Json, dialect: Dialect): DroppedKeyword[] {
  translateDialect(root, dialect);
  const dropped = dropInvalidKeywords(engine, root);
  if (dialect === '3.0') wrapNullable(root);
  return dropped;
}
