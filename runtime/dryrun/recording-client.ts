/**
 * The engine's HTTP client (egress policy, redirects, size cap) that also keeps each request as it
 * went on the wire, after auth and the application's request hook, with what came back: what
 * `npm run dryrun` shows. Nothing is masked here; the caller masks on output.
 */
import { HttpClient, type HttpResponse, type SendOptions, type WireRequest } from '../../connectors/framework/http/client';

export interface RecordedExchange {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** The body as text; `(streamed)` for a stream, undefined without a body. */
  body: string | undefined;
  /** Header and query names that carry credentials (auth's, the hook's). */
  credentialHeaders: ReadonlySet<string>;
  credentialQuery: ReadonlySet<string>;
  status?: number;
  durationMs?: number;
  /** Why no answer came (refused by the egress policy, a network error, a timeout). */
  failure?: string;
}

export class RecordingHttpClient extends HttpClient {
  readonly exchanges: RecordedExchange[] = [];

  override async send(request: WireRequest, options: SendOptions): Promise<HttpResponse> {
    const started = performance.now();
    let exchange: RecordedExchange | undefined;
    // After the caller's own preparation (the request hook signs or adds a token there): as sent.
    const prepare = async (hop: WireRequest): Promise<void> => {
      await options.prepare?.(hop);
      exchange = {
        method: hop.method,
        url: new URL(hop.url),
        // The layer adds the product's User-Agent unless the application set one.
        headers: { 'user-agent': this.userAgent, ...hop.headers },
        body: hop.body === undefined ? undefined : Buffer.isBuffer(hop.body) ? hop.body.toString('utf8') : '(streamed)',
        credentialHeaders: new Set(hop.credentialHeaders),
        credentialQuery: new Set(hop.credentialQuery),
      };
      this.exchanges.push(exchange);
    };
    try {
      const response = await super.send(request, { ...options, prepare });
      if (exchange) Object.assign(exchange, { status: response.status, durationMs: Math.round(performance.now() - started) });
      return response;
    } catch (err) {
      if (exchange) Object.assign(exchange, { failure: (err as Error).message, durationMs: Math.round(performance.now() - started) });
      throw err;
    }
  }
}
