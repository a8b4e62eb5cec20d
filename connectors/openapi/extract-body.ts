/**
 * An operation's request body as an action input: the media type chosen from `content` (JSON
 * first, then `application/x-www-form-urlencoded`, then `multipart/form-data`), and its schema.
 *
 * Inputs arrive as JSON (from flows through Temporal, and from the run-action API), so a file
 * cannot be a Buffer there. A multipart field whose schema is a file (`format: binary` or
 * `byte`, or 3.1's `contentMediaType` / `contentEncoding`) accepts FILE_INPUT_SCHEMA instead:
 * its bytes as a base64 string, or `{ filename, contentType?, base64 }`.
 */
import { derefObject } from './refs';
import { isObject, type Json } from './schema-walk';
import { jsonContent } from './extract-parameters';
import type { FileFieldFormat, ImportedBody } from './spec';

export const FORM = 'application/x-www-form-urlencoded';
export const MULTIPART = 'multipart/form-data';

// Base64, standard or URL-safe alphabet; checked by RE2, like every pattern.
const BASE64 = '^[A-Za-z0-9+/_-]*={0,2}$';

export const FILE_INPUT_SCHEMA = {
  description: 'A file: its bytes as base64, or { filename, contentType?, base64 }',
  anyOf: [
    { type: 'string', pattern: BASE64 },
    {
      type: 'object',
      required: ['filename', 'base64'],
      additionalProperties: false,
      properties: { filename: { type: 'string', minLength: 1 }, contentType: { type: 'string', minLength: 1 }, base64: { type: 'string', pattern: BASE64 } },
    },
  ],
} as const;

function mediaOf(content: Json, matches: (type: string) => boolean): [string, Json] | undefined {
  const entry = Object.entries(content).find(([type]) => matches(type.split(';')[0]!.trim().toLowerCase()));
  return entry && [entry[0], isObject(entry[1]) ? entry[1] : {}];
}

function fileFormat(doc: Json, schema: unknown): FileFieldFormat | undefined {
  let resolved: Json;
  try {
    resolved = derefObject(doc, schema);
  } catch {
    return undefined;
  }
  if (resolved.format === 'binary' || (typeof resolved.contentMediaType === 'string' && resolved.contentEncoding === undefined)) return 'binary';
  if (resolved.format === 'byte' || resolved.contentEncoding === 'base64') return 'byte';
  return undefined;
}

/** The multipart schema with its file fields accepting FILE_INPUT_SCHEMA, and which fields those are. */
function multipartBody(doc: Json, media: Json): Pick<ImportedBody, 'schema' | 'files'> {
  const schema = media.schema ?? {};
  let top: Json;
  try {
    top = derefObject(doc, schema);
  } catch {
    return { schema };
  }
  if (!isObject(top.properties)) return { schema };
  const encoding = isObject(media.encoding) ? media.encoding : {};
  const files: NonNullable<ImportedBody['files']> = {};
  const properties: Json = { ...top.properties };
  for (const [name, property] of Object.entries(top.properties)) {
    const declared = isObject(encoding[name]) && typeof encoding[name].contentType === 'string' ? { contentType: (encoding[name].contentType as string).split(',')[0]!.trim() } : {};
    const single = fileFormat(doc, property);
    const items = isObject(property) && property.type === 'array' ? fileFormat(doc, property.items) : undefined;
    if (single) {
      files[name] = { format: single, many: false, ...declared };
      properties[name] = FILE_INPUT_SCHEMA;
    } else if (items && isObject(property)) {
      files[name] = { format: items, many: true, ...declared };
      properties[name] = { ...property, items: FILE_INPUT_SCHEMA };
    }
  }
  if (Object.keys(files).length === 0) return { schema };
  // A copy of the (possibly referenced) top-level schema; its other properties keep their references.
  return { schema: { ...top, properties }, files };
}

/** The body input, or the media types offered when none is one we send. */
export function extractBody(doc: Json, requestBody: Json): { body: ImportedBody } | { unsupported: string[] } {
  const content = isObject(requestBody.content) ? requestBody.content : {};
  const required = requestBody.required === true;
  const json = jsonContent(content);
  if (json) return { body: { required, ...json } };
  const form = mediaOf(content, (type) => type === FORM);
  if (form) return { body: { required, contentType: form[0], schema: form[1].schema ?? { type: 'object' } } };
  const multipart = mediaOf(content, (type) => type === MULTIPART);
  if (multipart) return { body: { required, contentType: multipart[0], ...multipartBody(doc, multipart[1]) } };
  return { unsupported: Object.keys(content) };
}
