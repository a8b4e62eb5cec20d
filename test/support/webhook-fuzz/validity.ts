/**
 * The webhook fuzz's pessimistic model of the API: could it start a run for this request? Anything
 * that might be a valid delivery, however a server decodes or normalises it, counts as "could".
 */
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { flows } from '../../../workflows/flows';
import { integrationOf } from '../../../connectors/catalog';
import { BODY_LIMIT, DELIVERY_ID, sign } from './api-rules';
import type { Context, Draft, Headers } from './types';

/** Headers as the server sees them: lower-case names, repeats joined with ", " (content-type: first wins). */
function serverHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawName, raw] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      const trimmed = value.trim();
      if (!(name in out)) out[name] = trimmed;
      else if (name !== 'content-type') out[name] = `${out[name]}, ${trimmed}`;
    }
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Every webhook path the request target might be routed to, however a server normalises it. */
function routeCandidates(rawPath: string): string[] {
  const target = rawPath.split('?')[0]!;
  const variants = new Set<string>();
  for (const decoded of [target, safeDecode(target), target.split('/').map(safeDecode).join('/')]) {
    for (const cased of [decoded, decoded.toLowerCase()]) {
      variants.add(cased);
      // Dot segments resolved and empty segments dropped, as a normalising proxy would.
      const segments: string[] = [];
      for (const segment of cased.split('/')) {
        if (segment === '' || segment === '.') continue;
        if (segment === '..') segments.pop();
        else segments.push(segment);
      }
      variants.add(`/${segments.join('/')}`);
    }
  }
  const out: string[] = [];
  for (const variant of variants) {
    const match = /^\/+webhooks\/+(.+)$/i.exec(variant);
    if (match) out.push(match[1]!, match[1]!.replace(/\/+$/, ''));
  }
  return out;
}

function decodedBodies(body: Buffer, contentEncoding: string | undefined): Buffer[] {
  const buffers = [body];
  if (contentEncoding && contentEncoding.toLowerCase() !== 'identity') {
    for (const inflate of [gunzipSync, inflateSync, inflateRawSync, brotliDecompressSync]) {
      try {
        buffers.push(inflate(body));
      } catch {
        // not that encoding
      }
    }
  }
  return buffers;
}

function texts(buffer: Buffer): string[] {
  const utf8 = buffer.toString('utf8');
  const swapped = Buffer.from(buffer);
  if (swapped.length % 2 === 0) swapped.swap16();
  return [utf8, utf8.replace(/^\ufeff+/, ''), buffer.toString('utf16le').replace(/^\ufeff/, ''), swapped.toString('utf16le').replace(/^\ufeff/, ''), buffer.toString('latin1')];
}

function bodyCandidates(buffer: Buffer, contentType: string): unknown[] {
  const out: unknown[] = [undefined, {}];
  const form = contentType === 'application/x-www-form-urlencoded';
  for (const text of texts(buffer)) {
    if (!form) {
      try {
        out.push(JSON.parse(text) as unknown);
      } catch {
        // not JSON this way
      }
    }
    if (form || contentType !== 'application/json') out.push(Object.fromEntries(new URLSearchParams(text)));
  }
  return out;
}

export function couldStartRun(r: Draft, ctx: Context): boolean {
  if (r.method.toUpperCase() !== 'POST') return false;
  const headers = serverHeaders(r.headers);
  const contentType = headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (!contentType || !(contentType === 'application/json' || contentType === 'application/x-www-form-urlencoded' || /^application\/[a-z0-9.+-]+\+json$/.test(contentType))) return false;
  // Over WEBHOOK_BODY_LIMIT the API answers 413 (its documented contract): a huge valid body is
  // malformed too, and must not start a run.
  if (!headers['content-encoding'] && r.body.length > BODY_LIMIT) return false;
  for (const path of routeCandidates(r.path)) {
    let listening = flows.webhooksAt(path);
    let channelId = listening.length > 0 ? `${listening[0]!.application}-default` : '';
    if (listening.length === 0) {
      const cut = path.lastIndexOf('/');
      if (cut <= 0) continue;
      listening = flows.webhooksAt(path.slice(0, cut));
      channelId = path.slice(cut + 1);
    }
    if (listening.length === 0) continue;
    // The fuzzed paths are those of applications written in code; an imported one has no channel here.
    const application = integrationOf(listening[0]!.application)?.application;
    const channel = ctx.channels.get(channelId);
    if (!application || !channel || channel.application !== application.name || !channel.enabled) continue;
    const buffers = decodedBodies(r.body, headers['content-encoding']);
    if (application.webhooks) {
      // The only signed application here; another one would need its own check.
      if (application.name !== 'demo-mailer') return true;
      const given = headers['x-mailer-signature'] ?? '';
      // Independent of the API's verifier: the sha256= prefix, then hex in any case.
      const verified = buffers.some((buffer) => given.startsWith('sha256=') && given.slice(7).toLowerCase() === sign(buffer).slice(7));
      if (!verified) continue;
    }
    const trigger = listening[0]!.trigger;
    const deliveryId = headers[trigger.deliveryIdHeader ?? 'x-delivery-id'];
    if (deliveryId && !DELIVERY_ID.test(deliveryId)) continue;
    for (const buffer of buffers) {
      for (const candidate of bodyCandidates(buffer, contentType)) {
        const parsed = listening.map((flow) => flow.trigger.body.safeParse(candidate));
        if (!parsed.every((p) => p.success)) continue;
        // A single entity flow refuses an entity id outside the pattern before it signals.
        const only = listening.length === 1 ? listening[0]!.trigger : undefined;
        if (only?.mode === 'signal' && !DELIVERY_ID.test(only.entityId(parsed[0]!.data))) continue;
        return true;
      }
    }
  }
  return false;
}
