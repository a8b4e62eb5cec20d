/**
 * `npm run dryrun -- <app>.<connector> --channel <id> --input '{…}'`: one connector call for one
 * channel, from the shell, through exactly what an activity runs (executeConnectorPage: input
 * schema, auth, the request hook, the HTTP layer and its egress policy, evaluation, output schema).
 * It shows the request as it went on the wire, with the channel's secrets masked by the engine's
 * redaction (activities/secret-redaction.ts), and the output or the typed error, as `nango dryrun`
 * does. No Temporal and no worker are needed; nothing is recorded anywhere.
 */
import { authOf } from '../../applications/framework/application';
import { isOAuth } from '../../applications/framework/auth';
import type { Connector } from '../../connectors/framework/connector';
import { ConnectorError, executeConnectorPage, type PageResult } from '../../connectors/framework/execute';
import { catalogKey } from '../../connectors/framework/integration';
import { codeApplications } from '../../connectors/catalog';
import type { ConnectorRegistry } from '../../connectors/registry';
import { withAccessTokens } from '../../activities/run-connector';
import { REDACTED, SecretRedactor, redactValue } from '../../activities/secret-redaction';
import type { Store } from '../../store/open-store';
import type { Env } from '../config/environment';
import { UsageError } from '../usage-error';
import type { RecordedExchange, RecordingHttpClient } from './recording-client';
import { findChannel } from './sources';

export interface ConnectorDryrunDeps {
  env: Env;
  store: Store | undefined;
  registry: ConnectorRegistry;
  http: RecordingHttpClient;
}

export interface ShownExchange {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  status?: number;
  durationMs?: number;
  failure?: string;
}

export type ConnectorDryrun = {
  connector: string;
  channel: { id: string; source: string };
  requests: ShownExchange[];
} & ({ ok: true; output: unknown; nextPage: { input: unknown; url?: string } | null } | { ok: false; error: { type: string; class: string; reason: string; status: number | null; message: string } });

/** `demo-crm.listContacts`, `demoCrm.listContacts` or `petstore@v1.getPetById` → the application's name and the connector's. */
export function parseTarget(target: string | undefined): { application: string; action: string } {
  const cut = target?.indexOf('.') ?? -1;
  if (!target || cut <= 0 || cut === target.length - 1) throw new UsageError(`"${target ?? ''}": name the connector as <app>.<connector>, e.g. demo-crm.listContacts`);
  const given = target.slice(0, cut);
  // The catalog key flows use (demoCrm) works as well as the application's name (demo-crm).
  const byKey = codeApplications.find((app) => catalogKey(app.name) === given);
  return { application: byKey?.name ?? given, action: target.slice(cut + 1) };
}

async function connectorFor(registry: ConnectorRegistry, target: { application: string; action: string }): Promise<{ key: string; connector: Connector }> {
  const found = await registry.action(target.application, target.action);
  if (found) return found;
  const app = await registry.application(target.application);
  if (!app) throw new UsageError(`no application "${target.application}"; there are ${(await registry.applications()).map((a) => a.name).join(', ')}`);
  throw new UsageError(`${target.application} has no connector "${target.action}"; it has ${(await registry.actionsOf(target.application)).map((c) => c.name).join(', ')}`);
}

function shown(exchange: RecordedExchange, secrets: SecretRedactor): ShownExchange {
  const url = new URL(exchange.url);
  url.username = '';
  url.password = '';
  for (const name of exchange.credentialQuery) if (url.searchParams.has(name)) url.searchParams.set(name, REDACTED);
  const headers = Object.fromEntries(Object.entries(exchange.headers).map(([name, value]) => [name, exchange.credentialHeaders.has(name) ? REDACTED : secrets.redact(value)]));
  return {
    method: exchange.method,
    url: secrets.redact(url.toString()),
    headers,
    ...(exchange.body !== undefined ? { body: secrets.redact(exchange.body) } : {}),
    ...(exchange.status !== undefined ? { status: exchange.status } : {}),
    ...(exchange.durationMs !== undefined ? { durationMs: exchange.durationMs } : {}),
    ...(exchange.failure !== undefined ? { failure: secrets.redact(exchange.failure) } : {}),
  };
}

export async function dryrunConnector(deps: ConnectorDryrunDeps, target: string | undefined, channelId: string | undefined, input: unknown): Promise<ConnectorDryrun> {
  const parsed = parseTarget(target);
  const { key, connector } = await connectorFor(deps.registry, parsed);
  const id = channelId ?? `${connector.application.name}-default`;
  const { channel, source } = await findChannel(id, deps.env, deps.store, deps.registry);
  if (channel.application !== connector.application.name) throw new UsageError(`channel "${id}" belongs to ${channel.application}, the connector to ${connector.application.name}`);

  const secrets = new SecretRedactor();
  secrets.addValues(channel.credentials);
  // The method this channel's credentials choose (an application may offer several).
  const oauth = isOAuth(authOf(connector.application, channel.credentials));
  if (oauth && !deps.store) throw new UsageError(`${connector.application.name} uses OAuth 2.0: a channel's tokens are in the store, and there is none here yet`);
  // The token source renews an expired token, as an activity would, and keeps it in the store.
  const config = oauth && deps.store ? withAccessTokens(connector, channel, { channels: deps.store.channels, tokens: deps.store.tokens }) : channel;
  const summary = { connector: key, channel: { id, source } };
  let result: PageResult;
  try {
    result = await executeConnectorPage(connector, { ...config, id }, input, undefined, { http: deps.http, onCredential: (value) => secrets.addSent(value) });
  } catch (err) {
    if (oauth && deps.store) {
      const stored = (await deps.store.tokens.read(id).catch(() => undefined))?.tokens;
      secrets.addValues([stored?.accessToken, stored?.refreshToken]);
    }
    const requests = deps.http.exchanges.map((exchange) => shown(exchange, secrets));
    if (!(err instanceof ConnectorError)) throw err;
    return {
      ...summary,
      requests,
      ok: false,
      error: { type: err.name, class: err.errorClass, reason: err.reason, status: err.status ?? null, message: secrets.redact(err.message) },
    };
  }
  return {
    ...summary,
    requests: deps.http.exchanges.map((exchange) => shown(exchange, secrets)),
    ok: true,
    output: redactValue(result.output, (text) => secrets.redact(text)),
    nextPage: nextPageOf(result, secrets),
  };
}

function nextPageOf(result: PageResult, secrets: SecretRedactor): { input: unknown; url?: string } | null {
  if (!result.next) return null;
  return { input: result.next.input, ...(result.next.url ? { url: secrets.redact(result.next.url) } : {}) };
}

/** The dry run in words, for a terminal. */
export function describeConnectorDryrun(run: ConnectorDryrun): string[] {
  const lines = [`${run.connector} for channel ${run.channel.id} (from ${run.channel.source})`, ''];
  for (const request of run.requests) {
    lines.push(`→ ${request.method} ${request.url}`);
    for (const [name, value] of Object.entries(request.headers)) lines.push(`    ${name}: ${value}`);
    if (request.body !== undefined)
      lines.push(
        '',
        ...request.body
          .slice(0, 4000)
          .split('\n')
          .map((line) => `    ${line}`),
        ...(request.body.length > 4000 ? ['    …'] : []),
      );
    lines.push(request.failure ? `← no answer: ${request.failure}` : `← ${request.status} (${request.durationMs} ms)`, '');
  }
  if (run.ok) {
    lines.push("✓ output, as the connector's output schema checked it:", JSON.stringify(run.output, null, 2));
    if (run.nextPage?.url) lines.push('', `next page: ${run.nextPage.url} (a flow's .pages() follows it)`);
    else if (run.nextPage) lines.push('', `next page: --input '${JSON.stringify(run.nextPage.input)}'`);
  } else {
    const status = run.error.status === null ? '' : `, HTTP ${run.error.status}`;
    lines.push(`✗ ${run.error.type} (${run.error.class}, reason ${run.error.reason}${status}): ${run.error.message}`);
    lines.push(run.error.class === 'non-retryable' ? '  a flow would fail here, without retrying' : '  a flow would retry this (Temporal schedules the next attempt)');
  }
  return lines;
}
