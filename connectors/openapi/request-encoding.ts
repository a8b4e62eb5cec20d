/**
 * An imported action's input as the request the remote expects: path, query and header
 * parameters serialised per their declared `style`/`explode` (OpenAPI's defaults otherwise), and
 * the body as JSON, `form()` or `multipart()`. https://spec.openapis.org/oas/v3.1.0#style-values
 */
import { form, multipart, type FilePart, type MultipartValue } from '../framework/http/body';
import type { QueryPrimitive, QueryStyle, QueryValue } from '../framework/http/query';
import { FORM, MULTIPART } from './extract-body';
import { STYLES } from './extract-parameters';
import { isObject } from './schema-walk';
import type { ImportedAction, ImportedBody, ImportedParameter } from './spec';

const isPrimitive = (value: unknown): value is QueryPrimitive => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
// OpenAPI leaves nested values undefined; JSON text is what such servers read, if anything.
const primitive = (value: unknown): QueryPrimitive => (isPrimitive(value) ? value : JSON.stringify(value));

/** The value as the query serialiser takes it: primitives, arrays of them, objects of them. */
function queryValue(parameter: ImportedParameter, value: unknown): QueryValue {
  if (value === undefined || value === null) return undefined;
  if (parameter.contentType) return JSON.stringify(value);
  if (Array.isArray(value)) return value.map(primitive);
  if (isObject(value))
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== undefined && item !== null)
        .map(([key, item]) => [key, primitive(item)]),
    );
  return primitive(value);
}

export function queryOf(action: ImportedAction, input: Record<string, unknown>): { query: Record<string, QueryValue>; queryStyles: Record<string, QueryStyle> } {
  const query: Record<string, QueryValue> = {};
  const queryStyles: Record<string, QueryStyle> = {};
  for (const parameter of action.parameters.filter((p) => p.in === 'query')) {
    const value = queryValue(parameter, input[parameter.name]);
    if (value === undefined) continue;
    query[parameter.name] = value;
    const style = (parameter.style && STYLES.query.includes(parameter.style) ? parameter.style : STYLES.query[0]) as QueryStyle['style'];
    queryStyles[parameter.name] = { style, explode: parameter.explode ?? style === 'form' };
  }
  return { query, queryStyles };
}

/** simple (`a,b`, `k,v` or exploded `k=v`), label (`.a.b`) and matrix (`;id=a;id=b`) styles; `encode` escapes each piece. */
function styled(parameter: ImportedParameter, value: unknown, encode: (text: string) => string): string {
  const style = parameter.style ?? 'simple';
  const explode = parameter.explode ?? false;
  const name = encode(parameter.name);
  if (parameter.contentType) return encode(JSON.stringify(value));
  const text = (item: unknown) => encode(String(primitive(item)));
  if (Array.isArray(value)) {
    const items = value.map(text);
    if (style === 'label') return `.${items.join(explode ? '.' : ',')}`;
    if (style === 'matrix') return explode ? items.map((item) => `;${name}=${item}`).join('') : `;${name}=${items.join(',')}`;
    return items.join(',');
  }
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined && item !== null);
    const pairs = entries.map(([key, item]) => (explode ? `${encode(key)}=${text(item)}` : `${encode(key)},${text(item)}`));
    if (style === 'label') return `.${pairs.join(explode ? '.' : ',')}`;
    if (style === 'matrix') return explode ? entries.map(([key, item]) => `;${encode(key)}=${text(item)}`).join('') : `;${name}=${pairs.join(',')}`;
    return pairs.join(',');
  }
  if (style === 'label') return `.${text(value)}`;
  if (style === 'matrix') return `;${name}=${text(value)}`;
  return text(value);
}

export function pathOf(action: ImportedAction, input: Record<string, unknown>): string {
  const byName = new Map(action.parameters.filter((p) => p.in === 'path').map((p) => [p.name, p]));
  return action.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const parameter = byName.get(name) ?? { name, in: 'path' as const, required: true, schema: {} };
    const value = input[name];
    return value === undefined || value === null ? '' : styled(parameter, value, encodeURIComponent);
  });
}

export function headersOf(action: ImportedAction, input: Record<string, unknown>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const parameter of action.parameters.filter((p) => p.in === 'header')) {
    const value = input[parameter.name];
    if (value !== undefined && value !== null) headers[parameter.name] = styled(parameter, value, (text) => text);
  }
  return headers;
}

/** A file input (FILE_INPUT_SCHEMA: base64, or `{ filename, contentType?, base64 }`) as a multipart value. */
function filePart(name: string, value: unknown, field: NonNullable<ImportedBody['files']>[string]): MultipartValue {
  const given = isObject(value)
    ? { filename: String(value.filename), contentType: value.contentType as string | undefined, base64: String(value.base64) }
    : { filename: undefined, contentType: undefined, base64: String(value) };
  // `format: byte` declares a base64 field: the remote reads the text itself.
  if (field.format === 'byte' && given.filename === undefined) return given.base64;
  const part: FilePart = {
    data: field.format === 'byte' ? Buffer.from(given.base64, 'utf8') : Buffer.from(given.base64, 'base64'),
    filename: given.filename ?? name,
    contentType: given.contentType ?? field.contentType ?? (field.format === 'byte' ? 'text/plain' : 'application/octet-stream'),
  };
  return part;
}

function multipartParts(body: ImportedBody, value: Record<string, unknown>): Record<string, MultipartValue | MultipartValue[]> {
  const parts: Record<string, MultipartValue | MultipartValue[]> = {};
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined || item === null) continue;
    const file = body.files?.[name];
    if (file) parts[name] = file.many && Array.isArray(item) ? item.map((one) => filePart(name, one, file)) : filePart(name, item, file);
    else if (Array.isArray(item) && item.every(isPrimitive)) parts[name] = item;
    // Objects as JSON text: OpenAPI's default content type for an object property of a multipart body.
    else parts[name] = isPrimitive(item) ? item : JSON.stringify(item);
  }
  return parts;
}

export function bodyOf(body: ImportedBody, value: unknown): unknown {
  if (value === undefined) return undefined;
  const type = body.contentType.split(';')[0]!.trim().toLowerCase();
  if (type !== FORM && type !== MULTIPART) return value;
  // Fields are what a form has; the document's schema normally made sure of it already.
  if (!isObject(value)) throw new Error(`body: a ${type} body must be an object of fields`);
  return type === FORM ? form(value) : multipart(multipartParts(body, value));
}
