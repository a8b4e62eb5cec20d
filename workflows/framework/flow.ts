/**
 * Flow definitions: a workflow function plus the application it serves and the trigger that
 * starts it. The registry built from these is read by worker/ (schedules) and api/ (webhooks,
 * /flows). Not part of the workflow bundle: it holds zod schemas and runs outside the sandbox.
 *
 * A flow names its application: one written in code, or an imported one (`inventory@v1`, or the
 * reference its generated types export). The names are resolved through the one lookup of
 * applications (connectors/registry.ts) when the worker and the API start (flowApplications), so
 * channels, schedules, webhooks and signatures work the same for both kinds.
 */
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import type { SignalDefinition } from '@temporalio/workflow';
import type { z } from 'zod';
import type { Application } from '../../applications/framework/application';
import { isImportedApplication, type ImportedApplication, type ImportedApplicationName } from '../../applications/framework/imported-application';
import type { ApplicationLookup } from '../../connectors/registry';
import type { EntityDelivery } from './entity-deliveries';
import type { EntityFlowInput, PollingFlowInput, WebhookFlowInput } from './inputs';
import { signatureOf, type Unsigned } from './webhook-verification';

/** What a schedule does when the next tick comes while the last run is still going. */
export type OverlapPolicy = 'skip' | 'bufferOne' | 'allow';

export interface PollingTrigger {
  type: 'polling';
  /** How often each channel's schedule starts the flow, e.g. '5m' or '1 hour'. */
  every: Duration;
  /** Default `skip`: a sync still running makes the next tick a no-op instead of a second sync. */
  overlap: OverlapPolicy;
  /** After downtime (Temporal or worker down), missed ticks this recent are still run. Default 1 minute. */
  catchupWindow: Duration;
  /** Each run starts up to this much later, at random, so many channels do not all poll at once. */
  jitter?: Duration;
}

export interface PollingOptions {
  every: Duration;
  overlap?: OverlapPolicy;
  catchupWindow?: Duration;
  jitter?: Duration;
}

interface WebhookTriggerBase<Body extends z.ZodType> {
  type: 'webhook';
  /** Served at `POST /webhooks/<path>`. */
  path: string;
  body: Body;
  /** A body that passes `body`: shown by GET /flows, checked when the flow is defined. */
  example: z.input<Body>;
  /**
   * Header carrying the provider's delivery id (lower case); default `x-delivery-id`. A header the
   * signature does not cover is never the whole id (see api/webhooks/delivery-id.ts).
   */
  deliveryIdHeader?: string;
  /**
   * For providers that put their event id in a top-level body field. It is the delivery id when
   * the signature covers the body; an unsigned flow's is combined with the body's hash.
   */
  deliveryId?: { bodyField: string };
  /**
   * Leave out when the application declares a signature scheme (`webhooks.signature`); otherwise
   * `unsigned()`, the explicit opt-in to deliveries anyone could have sent.
   */
  verification?: Unsigned;
}

/** Each delivery starts its own run; workflow id `<flow>/<channel>/<delivery id>`. */
export interface WebhookStartTrigger<Body extends z.ZodType = z.ZodType> extends WebhookTriggerBase<Body> {
  mode: 'start';
}

/** Deliveries about one entity feed one long-lived run via signalWithStart. */
export interface WebhookSignalTrigger<Body extends z.ZodType = z.ZodType> extends WebhookTriggerBase<Body> {
  mode: 'signal';
  /** Sent with the body and the delivery, so the workflow can ignore a redelivery (see entity-deliveries.ts). */
  signal: SignalDefinition<[z.output<Body>, EntityDelivery]>;
  /** Which entity a body is about; workflow id `<flow>/<channel>/<entity id>`. */
  entityId: (body: z.output<Body>) => string;
}

export type WebhookTrigger<Body extends z.ZodType = z.ZodType> = WebhookStartTrigger<Body> | WebhookSignalTrigger<Body>;
export type Trigger = PollingTrigger | WebhookTrigger;

type FlowFunction<Input> = (input: Input) => Promise<unknown>;

export interface FlowDefinition<T extends Trigger = Trigger> {
  /** The workflow type, i.e. the workflow function's name. */
  name: string;
  description: string;
  /** The application's name (`demo-crm`, `inventory@v1`); channels of it run the flow. */
  application: string;
  /**
   * The application object the flow was given, when written in code: used only when the lookup of
   * applications does not know the name (an application a test defines); otherwise the lookup
   * answers, for both kinds.
   */
  codeApplication?: Application;
  trigger: T;
}

/**
 * What a flow names as its application: one written in code, an imported one by the reference its
 * generated types export (which also says whether it verifies webhook signatures), or an imported
 * one by its `<name>@v<n>` alone (then its webhook verification is checked only at start).
 */
export type FlowApplication = Application | ImportedApplication | ImportedApplicationName;

export function polling(options: PollingOptions): PollingTrigger {
  const ms = msToNumber(options.every); // throws on a malformed duration, at definition time
  if (!(ms >= 1_000)) throw new Error(`polling interval "${String(options.every)}" must be at least 1 second`);
  const catchupWindow = options.catchupWindow ?? '1 minute';
  // Temporal's own minimum; below it the server silently raises the value.
  if (!(msToNumber(catchupWindow) >= 10_000)) throw new Error(`catch-up window "${String(catchupWindow)}" must be at least 10 seconds`);
  if (options.jitter !== undefined && !(msToNumber(options.jitter) < ms)) throw new Error(`jitter "${String(options.jitter)}" must be shorter than the interval`);
  return { type: 'polling', every: options.every, overlap: options.overlap ?? 'skip', catchupWindow, ...(options.jitter !== undefined ? { jitter: options.jitter } : {}) };
}

type WebhookOptions<T extends WebhookTrigger> = Omit<T, 'type' | 'mode'>;

/** Keeps in the trigger's type whether it opted in to unsigned deliveries, for `flow()` to check. */
type WithVerification<V extends Unsigned | undefined> = V extends Unsigned ? { verification: Unsigned } : unknown;

/** A webhook whose every delivery starts a run of the flow. */
export function webhook<Body extends z.ZodType, V extends Unsigned | undefined = undefined>(
  options: WebhookOptions<WebhookStartTrigger<Body>> & { verification?: V },
): WebhookStartTrigger<Body> & WithVerification<V> {
  checkWebhook(options);
  return { type: 'webhook', mode: 'start', ...options } as WebhookStartTrigger<Body> & WithVerification<V>;
}

/** A webhook whose deliveries are signals to one long-lived run per entity (signalWithStart). */
export function entityWebhook<Body extends z.ZodType, V extends Unsigned | undefined = undefined>(
  options: WebhookOptions<WebhookSignalTrigger<Body>> & { verification?: V },
): WebhookSignalTrigger<Body> & WithVerification<V> {
  checkWebhook(options);
  return { type: 'webhook', mode: 'signal', ...options } as WebhookSignalTrigger<Body> & WithVerification<V>;
}

function checkWebhook(options: WebhookOptions<WebhookTrigger>): void {
  if (!/^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/.test(options.path)) {
    throw new Error(`webhook path "${options.path}" must be lower-case segments separated by "/"`);
  }
  const example = options.body.safeParse(options.example);
  if (!example.success) throw new Error(`webhook ${options.path}: example does not pass the body schema: ${example.error.message}`);
  const field = options.deliveryId?.bodyField;
  if (field !== undefined && !/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(field)) throw new Error(`webhook ${options.path}: deliveryId.bodyField "${field}" must be a plain field name`);
}

/**
 * A webhook trigger says how its deliveries are verified: the application's signature scheme (an
 * application defined with `webhooks` is `Application<S, C, true>`), or else the trigger needs
 * `verification: unsigned()`. Saying neither is a compile error on the trigger.
 */
type VerificationRequired<T extends Trigger, A extends FlowApplication> = T extends WebhookTrigger
  ? A extends Application<z.ZodType, z.ZodType, true> | ImportedApplication<string, unknown, true> | ImportedApplicationName
    ? unknown
    : { verification: Unsigned }
  : unknown;

interface FlowOptions<T extends Trigger, A extends FlowApplication> {
  application: A;
  trigger: T & NoInfer<VerificationRequired<T, A>>;
  description: string;
}

/** What a flow's workflow function receives, given its trigger. */
export type FlowInputFor<T extends Trigger> = T extends PollingTrigger
  ? PollingFlowInput
  : T extends WebhookSignalTrigger
    ? EntityFlowInput
    : T extends WebhookStartTrigger<infer B>
      ? WebhookFlowInput<z.output<B>>
      : never;

/** Ties a workflow to its trigger; the compiler checks the workflow accepts what the trigger gives. */
export function flow<T extends Trigger, A extends FlowApplication>(workflow: FlowFunction<FlowInputFor<T>>, options: FlowOptions<T, A>): FlowDefinition<T> {
  if (!workflow.name) throw new Error('a flow must be a named workflow function');
  const named: FlowApplication = options.application;
  const application = typeof named === 'string' ? named : named.name;
  if ((typeof named === 'string' || isImportedApplication(named)) && !/^[a-z][a-z0-9-]*@v\d+$/.test(application)) {
    throw new Error(`flow ${workflow.name}: "${application}" is not an imported application's name (<name>@v<n>); name an application written in code by its object`);
  }
  const code = typeof named !== 'string' && !isImportedApplication(named) ? named : undefined;
  const definition: FlowDefinition<T> = { name: workflow.name, description: options.description, application, ...(code ? { codeApplication: code } : {}), trigger: options.trigger };
  // Written in code: checked now. Imported: when the worker and the API start (flowApplications).
  if (code) signatureOf(definition, code); // throws for a webhook trigger that says neither a scheme nor unsigned(), or both
  return definition;
}

export interface FlowRegistry {
  readonly all: readonly FlowDefinition[];
  byName(name: string): FlowDefinition | undefined;
  polling(): FlowDefinition<PollingTrigger>[];
  /** Every flow listening on this path: one delivery fans out to all of them. */
  webhooksAt(path: string): FlowDefinition<WebhookTrigger>[];
}

export function defineFlows(definitions: FlowDefinition[]): FlowRegistry {
  const names = new Set<string>();
  const applicationAt = new Map<string, string>();
  for (const def of definitions) {
    if (names.has(def.name)) throw new Error(`two flows are named "${def.name}"`);
    names.add(def.name);
    if (def.trigger.type === 'webhook') {
      // Several flows may share a path (fan-out), but one delivery is verified against one application's secret.
      const other = applicationAt.get(def.trigger.path);
      if (other && other !== def.application) throw new Error(`webhook path "${def.trigger.path}" is used by flows of ${other} and ${def.application}`);
      applicationAt.set(def.trigger.path, def.application);
    }
  }
  const isPolling = (def: FlowDefinition): def is FlowDefinition<PollingTrigger> => def.trigger.type === 'polling';
  const isWebhook = (def: FlowDefinition): def is FlowDefinition<WebhookTrigger> => def.trigger.type === 'webhook';
  return {
    all: definitions,
    byName: (name) => definitions.find((def) => def.name === name),
    polling: () => definitions.filter(isPolling),
    webhooksAt: (path) => definitions.filter(isWebhook).filter((def) => def.trigger.path === path),
  };
}

/** Each flow's application, by name, as the one lookup of applications gives it. */
export type FlowApplications = ReadonlyMap<string, Application>;

/**
 * The applications the flows name, from the one lookup of applications (written in code, or
 * imported: committed under applications/ or through the API), else the object a flow was given
 * (an application a test defines, which no lookup knows). The worker and the API call it as they
 * start: a flow naming an application that does not exist,
 * and a webhook flow that says neither its application's scheme nor `unsigned()` (or both), stop
 * the start, naming the flow.
 */
export async function flowApplications(flows: Pick<FlowRegistry, 'all'>, lookup: Pick<ApplicationLookup, 'application'>): Promise<FlowApplications> {
  const applications = new Map<string, Application>();
  const missing: string[] = [];
  for (const def of flows.all) {
    // The lookup first, for both kinds; the object a flow was given only for what it does not know (a test's own application).
    const given = def.codeApplication?.name === def.application ? def.codeApplication : undefined;
    const application = applications.get(def.application) ?? (await lookup.application(def.application)) ?? given;
    if (!application) {
      missing.push(`flow ${def.name} names application ${def.application}`);
      continue;
    }
    applications.set(def.application, application);
    signatureOf(def, application);
  }
  if (missing.length > 0) {
    throw new Error(
      `${missing.join('; ')}, which is neither written in code nor imported: an imported application a flow names must exist when the system starts (commit its document under applications/<name>/, which is imported then)`,
    );
  }
  return applications;
}

/** One schedule per polling flow and channel. */
export function scheduleIdFor(flowName: string, channelId: string): string {
  return `${flowName}/${channelId}`;
}
