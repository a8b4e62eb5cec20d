/**
 * Flow definitions: a workflow function plus the application it serves and the trigger that
 * starts it. The registry built from these is read by worker/ (schedules) and api/ (webhooks,
 * /flows). Not part of the workflow bundle: it holds zod schemas and runs outside the sandbox.
 */
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import type { SignalDefinition } from '@temporalio/workflow';
import type { z } from 'zod';
import type { Application } from '../../applications/framework/application';
import type { EntityFlowInput, PollingFlowInput, WebhookFlowInput } from './inputs';

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
  /** Header carrying the provider's delivery id (lower case); default `x-delivery-id`. */
  deliveryIdHeader?: string;
  /**
   * For providers that put the delivery id in the body (an event id). Without a header or this,
   * the delivery id is a hash of the raw body, so a redelivery of the same bytes is still recognised.
   */
  deliveryId?: (body: z.output<Body>) => string | undefined;
}

/** Each delivery starts its own run; workflow id `<flow>/<channel>/<delivery id>`. */
export interface WebhookStartTrigger<Body extends z.ZodType = z.ZodType> extends WebhookTriggerBase<Body> {
  mode: 'start';
}

/** Deliveries about one entity feed one long-lived run via signalWithStart. */
export interface WebhookSignalTrigger<Body extends z.ZodType = z.ZodType> extends WebhookTriggerBase<Body> {
  mode: 'signal';
  signal: SignalDefinition<[z.output<Body>]>;
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
  application: Application;
  trigger: T;
}

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

/** A webhook whose every delivery starts a run of the flow. */
export function webhook<Body extends z.ZodType>(options: WebhookOptions<WebhookStartTrigger<Body>>): WebhookStartTrigger<Body> {
  checkWebhook(options);
  return { type: 'webhook', mode: 'start', ...options };
}

/** A webhook whose deliveries are signals to one long-lived run per entity (signalWithStart). */
export function entityWebhook<Body extends z.ZodType>(options: WebhookOptions<WebhookSignalTrigger<Body>>): WebhookSignalTrigger<Body> {
  checkWebhook(options);
  return { type: 'webhook', mode: 'signal', ...options };
}

function checkWebhook(options: WebhookOptions<WebhookTrigger>): void {
  if (!/^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/.test(options.path)) {
    throw new Error(`webhook path "${options.path}" must be lower-case segments separated by "/"`);
  }
  const example = options.body.safeParse(options.example);
  if (!example.success) throw new Error(`webhook ${options.path}: example does not pass the body schema: ${example.error.message}`);
}

interface FlowOptions<T extends Trigger> {
  application: Application;
  trigger: T;
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
export function flow<T extends Trigger>(workflow: FlowFunction<FlowInputFor<T>>, options: FlowOptions<T>): FlowDefinition<T> {
  if (!workflow.name) throw new Error('a flow must be a named workflow function');
  return { name: workflow.name, description: options.description, application: options.application, trigger: options.trigger };
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
      if (other && other !== def.application.name) throw new Error(`webhook path "${def.trigger.path}" is used by flows of ${other} and ${def.application.name}`);
      applicationAt.set(def.trigger.path, def.application.name);
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

/** One schedule per polling flow and channel. */
export function scheduleIdFor(flowName: string, channelId: string): string {
  return `${flowName}/${channelId}`;
}
