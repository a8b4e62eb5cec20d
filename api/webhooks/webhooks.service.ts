/**
 * Turns a webhook delivery into flow runs. In order: the path names the flows (404), the content
 * type must be JSON or a form (415), the channel must exist and be enabled (404), the signature
 * must verify with the channel's secret (401), and the body must pass every listening flow's
 * schema (400). Only then is anything started: `start` with the delivery id in the workflow id (a
 * redelivery starts nothing new), or `signalWithStart` on the entity's workflow with the delivery
 * id beside the body (the workflow ignores an id it applied). The delivery id comes from signed
 * material where there is some (delivery-id.ts says why). Resolves once Temporal has accepted every
 * run, so a 202 always means "it will happen".
 */
import { BadRequestException, HttpException, HttpStatus, Inject, Injectable, Logger, NotFoundException, UnauthorizedException, type OnApplicationBootstrap } from '@nestjs/common';
import { defaultChannelId } from '../../channels/env-channels';
import type { Application } from '../../applications/framework/application';
import type { SignatureScheme } from '../../applications/framework/webhook-signature';
import type { StoredChannel } from '../../store/channel-store';
import type { FlowDefinition, FlowRegistry, WebhookSignalTrigger, WebhookTrigger } from '../../workflows/framework/flow';
import { RunStarter } from '../../workflows/framework/run-starter';
import { flowApplications, type FlowApplications } from '../../workflows/framework/flow';
import { signatureOf, warnUnsignedWebhooks } from '../../workflows/framework/webhook-verification';
import { ConnectorRegistry } from '../../connectors/registry';
import { callTemporal } from '../common/temporal-errors';
import { parseOrThrow } from '../common/validation';
import { DELIVERY_ID, deliveryIdOf, deliveryIdRule } from './delivery-id';
import { WebhookChannelLimit } from '../auth/edge-rate-limits';
import { ChannelStore } from '../../store/channel-store';
import { ENVIRONMENT, FLOW_REGISTRY, PUBLIC_URL } from '../tokens';
import type { Env } from '../../runtime/config/environment';
import type { WebhookAccepted, WebhookRun } from './webhook-accepted';
import { AcceptedDeliveries } from './accepted-deliveries';

const ACCEPTED_TYPES = ['application/json', 'application/x-www-form-urlencoded'];

export type { WebhookAccepted, WebhookRun } from './webhook-accepted';

/** The answer to a provider's handshake (`webhooks.handshake`): sent with 200 instead of starting flows. */
export class WebhookHandshake {
  constructor(readonly body: unknown) {}
}

export interface WebhookDelivery {
  path: string;
  body: unknown;
  /** The bytes as received, for signature verification (absent for an empty body). */
  rawBody?: Buffer;
  headers: Record<string, string | string[] | undefined>;
  /** The request's method (POST). */
  method?: string;
  /** The path and query as requested (`/webhooks/<path>?…`): with PUBLIC_URL, the URL the provider called. */
  requestUrl?: string;
}

@Injectable()
export class WebhooksService implements OnApplicationBootstrap {
  constructor(
    private readonly runs: RunStarter,
    @Inject(FLOW_REGISTRY) private readonly flows: FlowRegistry,
    @Inject(ENVIRONMENT) private readonly env: Env,
    private readonly channels: ChannelStore,
    private readonly channelLimit: WebhookChannelLimit,
    @Inject(PUBLIC_URL) private readonly publicUrl: () => string,
    private readonly registry: ConnectorRegistry,
    private readonly accepted: AcceptedDeliveries,
  ) {}

  /** Each flow's application, resolved as the API starts. */
  private applications: FlowApplications | undefined;

  /** Every flow's application resolved and its webhook verification checked, before the API listens: a flow naming an unknown application stops the start. */
  async onApplicationBootstrap(): Promise<void> {
    const log = new Logger('Webhooks');
    this.applications = await flowApplications(this.flows, this.registry);
    warnUnsignedWebhooks(this.flows, this.applications, { warn: (message) => log.warn(message) });
  }

  /** WEBHOOK_ACCEPT_TIMEOUT_MS (checked at start-up): how long a webhook waits for Temporal before answering 503. */
  private acceptTimeoutMs(): number {
    return Number(this.env.WEBHOOK_ACCEPT_TIMEOUT_MS || 5_000);
  }

  async accept(delivery: WebhookDelivery): Promise<WebhookAccepted | WebhookHandshake> {
    const { flows, channelId } = this.route(delivery.path);
    checkContentType(delivery.headers['content-type']);
    // Flows name their application, written in code or imported: resolved once, as the API started.
    const name = flows[0]!.application;
    this.applications ??= await flowApplications(this.flows, this.registry);
    const application = this.applications.get(name);
    const channel = await this.channels.get(channelId);
    if (!application || !channel || channel.application !== name) throw new NotFoundException(`no channel "${channelId}" of application ${name}`);
    if (!channel.enabled) throw new NotFoundException(`channel "${channelId}" is disabled`);
    const scheme = signatureOf(flows[0]!, application);
    if (scheme) verifySignature(application, scheme, channel, delivery, this.calledUrl(delivery));
    // After verification: only deliveries that proved their sender count against the channel.
    await this.channelLimit.take(channel.id);
    // A verified handshake (Slack's url_verification) is answered, not run; unsigned flows get none.
    const body = scheme ? applicationBody(application, delivery) : delivery.body;
    const handshake = scheme ? application.webhooks?.handshake?.(body) : undefined;
    if (handshake !== undefined) return new WebhookHandshake(handshake);
    // Every flow's schema first: a body one of them refuses starts none of them.
    const bodies = flows.map((flow) => parseOrThrow(flow.trigger.body, body));
    const trigger = flows[0]!.trigger;
    const deliveryId = deliveryIdOf(deliveryIdRule(trigger, scheme), trigger, { ...delivery, body });
    // Entity ids too: a delivery one flow cannot route must not have started the others.
    const entityIds = flows.map((flow, i) => (flow.trigger.mode === 'signal' ? entityIdOf(flow.trigger, bodies[i]) : undefined));

    const redelivery = this.accepted.redelivery(delivery.path, deliveryId);
    if (redelivery) return redelivery;

    const runs = await callTemporal(this.runs, this.acceptTimeoutMs(), () =>
      Promise.all(
        flows.map((flow, i) => (isEntityFlow(flow) ? this.runs.signalEntity(flow, channelId, entityIds[i]!, deliveryId, bodies[i]) : this.runs.startWebhook(flow, channelId, deliveryId, bodies[i]))),
      ),
    );
    // A redelivery starts nothing: its runs are duplicates; an entity's signal was applied once.
    this.accepted.remember(
      delivery.path,
      answer(
        channelId,
        deliveryId,
        runs.map((run, i) => (isEntityFlow(flows[i]!) ? run : { ...run, duplicate: true })),
      ),
    );
    return answer(channelId, deliveryId, runs);
  }

  /**
   * The URL the provider called, for schemes that sign it (HubSpot v3): PUBLIC_URL, which is where
   * webhook subscriptions point, with the path and query this request came with. Never the Host
   * header: whoever sends the request chooses that.
   */
  private calledUrl(delivery: WebhookDelivery): string | undefined {
    const base = this.publicUrl().replace(/\/+$/, '');
    return base && delivery.requestUrl ? `${base}${delivery.requestUrl}` : undefined;
  }

  /**
   * `<flow path>/<channel id>` reaches that channel; the bare `<flow path>` reaches the
   * application's default channel (the one configured through the environment).
   */
  private route(path: string): { flows: FlowDefinition<WebhookTrigger>[]; channelId: string } {
    const exact = this.flows.webhooksAt(path);
    if (exact.length > 0) return { flows: exact, channelId: defaultChannelId(exact[0]!.application) };
    const cut = path.lastIndexOf('/');
    const flows = cut > 0 ? this.flows.webhooksAt(path.slice(0, cut)) : [];
    if (flows.length === 0) throw new NotFoundException(`no flow listens on webhook path "${path}"`);
    return { flows, channelId: path.slice(cut + 1) };
  }
}

function isEntityFlow(flow: FlowDefinition<WebhookTrigger>): flow is FlowDefinition<WebhookSignalTrigger> {
  return flow.trigger.mode === 'signal';
}

function entityIdOf(trigger: Extract<WebhookTrigger, { mode: 'signal' }>, body: unknown): string {
  const entityId = trigger.entityId(body);
  if (!DELIVERY_ID.test(entityId)) throw new BadRequestException(`entity id "${entityId}" may only contain letters, digits and . _ : -`);
  return entityId;
}

/** A JSON body as the application reads its deliveries (`webhooks.parseBody`), else as the API parsed it. */
function applicationBody(application: Application, delivery: WebhookDelivery): unknown {
  const parse = application.webhooks?.parseBody;
  const type = (Array.isArray(delivery.headers['content-type']) ? delivery.headers['content-type'][0] : delivery.headers['content-type']) ?? '';
  if (!parse || !delivery.rawBody?.length || !/^application\/([a-z0-9.+-]+\+)?json\b/i.test(type.trim())) return delivery.body;
  try {
    return parse(delivery.rawBody);
  } catch {
    throw new BadRequestException('the body is not JSON');
  }
}

function checkContentType(header: string | string[] | undefined): void {
  const type = (Array.isArray(header) ? header[0] : header)?.split(';')[0]?.trim().toLowerCase();
  if (type && (ACCEPTED_TYPES.includes(type) || /^application\/[a-z0-9.+-]+\+json$/.test(type))) return;
  throw new HttpException(
    { statusCode: HttpStatus.UNSUPPORTED_MEDIA_TYPE, error: 'Unsupported Media Type', message: `content-type must be application/json or application/x-www-form-urlencoded, not ${type ?? 'missing'}` },
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  );
}

/**
 * The application's scheme with the channel's secret. Only flows that opted in with `unsigned()`
 * skip this (the flow registry refuses a webhook flow that says neither).
 */
function verifySignature(application: Application, scheme: SignatureScheme, channel: StoredChannel, delivery: WebhookDelivery, url: string | undefined): void {
  const secret = application.webhooks?.secret(application.credentials.parse(channel.credentials));
  if (!secret) throw new UnauthorizedException(`channel "${channel.id}" has no webhook secret; set it to receive signed deliveries`);
  const check = scheme.verify({ rawBody: delivery.rawBody ?? Buffer.alloc(0), headers: delivery.headers, secret, now: Date.now(), method: delivery.method, url });
  if (!check.ok) throw new UnauthorizedException(`signature refused: ${check.reason}`);
}

/** The first flow's run at the top, every flow's in `runs`. */
function answer(channelId: string, deliveryId: string, runs: WebhookRun[]): WebhookAccepted {
  const { flow: _first, ...first } = runs[0]!;
  return { ...first, channelId, deliveryId, runs };
}
