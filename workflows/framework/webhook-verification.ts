/**
 * How a webhook flow's deliveries are verified: its application's signature scheme, or an explicit
 * `unsigned()` opt-in on the trigger. Saying nothing is not an option (a type error, and an error
 * when the flow is defined), so no flow takes forgeable deliveries by omission. Unsigned flows are
 * logged as a warning when the worker and the API start.
 */
import type { Application } from '../../applications/framework/application';
import type { SignatureScheme } from '../../applications/framework/webhook-signature';

/** The opt-in to deliveries that prove nothing about their sender: anyone can post them. */
export interface Unsigned {
  readonly kind: 'unsigned';
}

const UNSIGNED: Unsigned = Object.freeze({ kind: 'unsigned' });

/** `webhook({ …, verification: unsigned() })`: this flow accepts deliveries nobody signed. */
export function unsigned(): Unsigned {
  return UNSIGNED;
}

/** What GET /flows shows: the scheme and the header its signature travels in, or "unsigned". */
export type SignatureView = { scheme: string; header: string } | 'unsigned';

interface WebhookFlowLike {
  name: string;
  /** The application's name; its definition is passed beside it (flows name applications, see flow.ts). */
  application: string;
  trigger: { type: string; path?: string; verification?: Unsigned };
}

/**
 * The scheme a webhook flow's deliveries are checked with, given the application the flow names,
 * or undefined for an unsigned one (and for a flow that has no webhook).
 * Throws for a flow that says neither, or both (an `unsigned()` the API would never honour).
 */
export function signatureOf(flow: WebhookFlowLike, application: Application): SignatureScheme | undefined {
  if (flow.trigger.type !== 'webhook') return undefined;
  const scheme = application.webhooks?.signature;
  const optedOut = flow.trigger.verification?.kind === 'unsigned';
  const where = `webhook flow ${flow.name} (${flow.trigger.path ?? ''})`;
  if (!scheme && !optedOut) throw new Error(`${where}: application ${application.name} declares no webhook signature; give it one, or opt in with verification: unsigned()`);
  if (scheme && optedOut) throw new Error(`${where}: application ${application.name} verifies ${scheme.kind} signatures; remove verification: unsigned()`);
  return scheme;
}

export function signatureView(flow: WebhookFlowLike, application: Application): SignatureView {
  const scheme = signatureOf(flow, application);
  return scheme ? { scheme: scheme.kind, header: scheme.headers[0] ?? '' } : 'unsigned';
}

/**
 * Logs one warning per unsigned webhook flow; returns their names. Called by the worker and the
 * API at start, with the flows' applications (flowApplications in flow.ts).
 */
export function warnUnsignedWebhooks(flows: { readonly all: readonly WebhookFlowLike[] }, applications: ReadonlyMap<string, Application>, log: { warn(message: string): void }): string[] {
  const unsignedFlows = flows.all.filter((flow) => flow.trigger.type === 'webhook' && !signatureOf(flow, applications.get(flow.application)!));
  for (const flow of unsignedFlows) {
    log.warn(`webhook flow ${flow.name} accepts unsigned deliveries at POST /webhooks/${flow.trigger.path ?? ''}: anyone who can reach the API can start it`);
  }
  return unsignedFlows.map((flow) => flow.name);
}
