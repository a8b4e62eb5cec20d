/**
 * Request bodies beyond JSON: a connector's `request()` returns `body: form({...})`,
 * `multipart({...})` or `raw(bytes, type)`; any other value is sent as JSON. Each kind knows its
 * bytes and its content type, so the HTTP layer (and a signing hook) sees what goes on the wire.
 */
import type { Readable } from 'node:stream';
import FormData from 'form-data';
import { stringify } from 'qs';

/** `application/x-www-form-urlencoded`, nested keys in the bracket style Stripe and Rails read: `metadata[order_id]=7&items[0][price]=p_1`. */
export class FormBody {
  readonly kind = 'form';
  constructor(readonly value: Readonly<Record<string, unknown>>) {}
}

/** A file part of a multipart body. */
export interface FilePart {
  data: Buffer | Readable;
  filename: string;
  contentType?: string;
}
export type MultipartValue = string | number | boolean | Buffer | FilePart | undefined;

/** `multipart/form-data`: fields, and files given as Buffers or streams. */
export class MultipartBody {
  readonly kind = 'multipart';
  constructor(readonly parts: Readonly<Record<string, MultipartValue | readonly MultipartValue[]>>) {}
}

/** Text or bytes sent as they are, with their content type. */
export class RawBody {
  readonly kind = 'raw';
  constructor(
    readonly data: string | Buffer | Readable,
    readonly contentType: string,
  ) {}
}

export const form = (value: Readonly<Record<string, unknown>>): FormBody => new FormBody(value);
export const multipart = (parts: Readonly<Record<string, MultipartValue | readonly MultipartValue[]>>): MultipartBody => new MultipartBody(parts);
export const raw = (data: string | Buffer | Readable, contentType: string): RawBody => new RawBody(data, contentType);

/** What goes on the wire: bytes when they are known up front (a signing hook can hash them), else a stream. */
export interface WireBody {
  data: Buffer | Readable;
  headers: Record<string, string>;
}

function isFilePart(value: unknown): value is FilePart {
  return typeof value === 'object' && value !== null && !Buffer.isBuffer(value) && 'data' in value && 'filename' in value;
}

function encodeMultipart(body: MultipartBody): WireBody {
  const data = new FormData();
  const streamed = Object.values(body.parts)
    .flat()
    .some((part) => isFilePart(part) && !Buffer.isBuffer(part.data));
  for (const [name, value] of Object.entries(body.parts)) {
    for (const part of Array.isArray(value) ? value : [value]) {
      if (part === undefined) continue;
      if (isFilePart(part)) data.append(name, part.data, { filename: part.filename, contentType: part.contentType ?? 'application/octet-stream' });
      else if (Buffer.isBuffer(part)) data.append(name, part, { filename: name, contentType: 'application/octet-stream' });
      else data.append(name, String(part));
    }
  }
  // Buffers only: the whole body is known, with its length. A stream part keeps it streamed.
  return { data: streamed ? data : data.getBuffer(), headers: data.getHeaders() as Record<string, string> };
}

export function encodeBody(body: unknown): WireBody | undefined {
  if (body === undefined) return undefined;
  if (body instanceof FormBody) {
    // qs encodes the brackets too; Stripe's own SDK sends them literally, and so do we.
    const text = stringify(body.value, { arrayFormat: 'indices', serializeDate: (d) => String(Math.floor(d.getTime() / 1000)) })
      .replace(/%5B/g, '[')
      .replace(/%5D/g, ']');
    return { data: Buffer.from(text), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  }
  if (body instanceof MultipartBody) return encodeMultipart(body);
  if (body instanceof RawBody) return { data: typeof body.data === 'string' ? Buffer.from(body.data) : body.data, headers: { 'content-type': body.contentType } };
  return { data: Buffer.from(JSON.stringify(body)), headers: { 'content-type': 'application/json' } };
}
