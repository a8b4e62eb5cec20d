/**
 * oauth4webapi's transport, through the connectors' HTTP layer: token and refresh requests go
 * only where the egress policy allows, like every other call the engine makes with credentials.
 */
import type * as oauth from 'oauth4webapi';
import { sharedHttpClient, type HttpClient } from '../../connectors/framework/http/client';

const TIMEOUT_MS = 30_000;

type Body = string | URLSearchParams | Uint8Array | ArrayBuffer | undefined | null | unknown;

function bytes(body: Body): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof URLSearchParams) return Buffer.from(body.toString());
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) return Buffer.from(body as Uint8Array);
  throw new Error('the OAuth request body is of a kind the engine does not send');
}

export function egressFetch(http: () => HttpClient = sharedHttpClient) {
  return async (url: string, options: oauth.CustomFetchOptions<string, Body>): Promise<Response> => {
    const headers = Object.fromEntries(Object.entries(options.headers).map(([name, value]) => [name.toLowerCase(), value]));
    const response = await http().send(
      // The client authenticates in these headers and body; none of it may leave with a redirect.
      { method: options.method, url: new URL(url), headers, body: bytes(options.body), credentialHeaders: new Set(Object.keys(headers)), credentialQuery: new Set() },
      // oauth4webapi asks for redirect: 'manual': it judges a 3xx itself.
      { timeoutMs: TIMEOUT_MS, signal: options.signal, maxRedirects: 0 },
    );
    const body = response.status === 204 || response.status === 304 ? null : response.raw;
    return new Response(body, { status: response.status, headers: response.headers });
  };
}
