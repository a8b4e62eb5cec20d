/**
 * Turns a validated webhook delivery into a flow run: `start` with the delivery id in the
 * workflow id, or `signalWithStart` on the entity's workflow. Resolves only once Temporal has
 * accepted the run, so a 202 always means "it will happen".
 */
import { randomUUID } from 'node:crypto';
import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { defaultChannelId } from '../../channels/env-channels';
import type { TemporalSettings } from '../../runtime/temporal-config';
import type { FlowDefinition, FlowRegistry, WebhookTrigger } from '../../workflows/framework/flow';
import { flowSearchAttributes, flowWorkflowId } from '../../workflows/framework/run-options';
import { callTemporal } from '../common/temporal-errors';
import { parseOrThrow } from '../common/validation';
import type { ChannelStore } from '../../store/channel-store';
import { CHANNEL_STORE, FLOW_REGISTRY, TEMPORAL_CLIENT, TEMPORAL_SETTINGS } from '../tokens';

/** How long a webhook waits for Temporal before answering 503. */
const ACCEPT_TIMEOUT_MS = Number(process.env.WEBHOOK_ACCEPT_TIMEOUT_MS ?? 5_000);
const DELIVERY_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface WebhookAccepted {
  workflowId: string;
  runId: string;
  /** True when this delivery id was seen before: no second run was started. */
  duplicate?: boolean;
}

export interface WebhookDelivery {
  path: string;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

@Injectable()
export class WebhooksService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(TEMPORAL_SETTINGS) private readonly settings: TemporalSettings,
    @Inject(FLOW_REGISTRY) private readonly flows: FlowRegistry,
    @Inject(CHANNEL_STORE) private readonly channels: ChannelStore,
  ) {}

  async accept(delivery: WebhookDelivery): Promise<WebhookAccepted> {
    const { flow, channelId } = this.route(delivery.path);
    const body = parseOrThrow(flow.trigger.body, delivery.body);
    const channel = await this.channels.get(channelId);
    if (!channel || channel.application !== flow.application.name) throw new NotFoundException(`no channel "${channelId}" of application ${flow.application.name}`);
    if (!channel.enabled) throw new NotFoundException(`channel "${channelId}" is disabled`);
    const deliveryId = readDeliveryId(flow.trigger, delivery.headers);

    return callTemporal(this.client.connection, ACCEPT_TIMEOUT_MS, () =>
      flow.trigger.mode === 'signal' ? this.signalEntity(flow, flow.trigger, channelId, body) : this.startRun(flow, channelId, deliveryId, body),
    );
  }

  /**
   * `<flow path>/<channel id>` reaches that channel; the bare `<flow path>` reaches the
   * application's default channel (the one configured through the environment).
   */
  private route(path: string): { flow: FlowDefinition<WebhookTrigger>; channelId: string } {
    const exact = this.flows.webhookAt(path);
    if (exact) return { flow: exact, channelId: defaultChannelId(exact.application.name) };
    const cut = path.lastIndexOf('/');
    const flow = cut > 0 ? this.flows.webhookAt(path.slice(0, cut)) : undefined;
    if (!flow) throw new NotFoundException(`no flow listens on webhook path "${path}"`);
    return { flow, channelId: path.slice(cut + 1) };
  }

  private async startRun(flow: FlowDefinition, channelId: string, deliveryId: string, body: unknown): Promise<WebhookAccepted> {
    const workflowId = flowWorkflowId(flow.name, channelId, deliveryId);
    try {
      const handle = await this.client.workflow.start(flow.name, {
        taskQueue: this.settings.taskQueue,
        workflowId,
        args: [{ channelId, deliveryId, body }],
        // A redelivered webhook (same delivery id) must not run twice, even after the first run closed.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: flowSearchAttributes(flow, channelId, 'webhook'),
        staticSummary: `${flow.name}: webhook delivery ${deliveryId}`,
      });
      return { workflowId, runId: handle.firstExecutionRunId };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const existing = await this.client.workflow.getHandle(workflowId).describe();
      return { workflowId, runId: existing.runId, duplicate: true };
    }
  }

  private async signalEntity(flow: FlowDefinition, trigger: Extract<WebhookTrigger, { mode: 'signal' }>, channelId: string, body: unknown): Promise<WebhookAccepted> {
    const entityId = trigger.entityId(body);
    if (!DELIVERY_ID.test(entityId)) throw new BadRequestException(`entity id "${entityId}" may only contain letters, digits and . _ : -`);
    const workflowId = flowWorkflowId(flow.name, channelId, entityId);
    const handle = await this.client.workflow.signalWithStart(flow.name, {
      taskQueue: this.settings.taskQueue,
      workflowId,
      args: [{ channelId, entityId }],
      signal: trigger.signal,
      signalArgs: [body],
      typedSearchAttributes: flowSearchAttributes(flow, channelId, 'webhook'),
      staticSummary: `${flow.name} for ${entityId}`,
    });
    return { workflowId, runId: handle.signaledRunId };
  }
}

function readDeliveryId(trigger: WebhookTrigger, headers: WebhookDelivery['headers']): string {
  const header = trigger.deliveryIdHeader ?? 'x-delivery-id';
  const raw = headers[header];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === '') return randomUUID();
  if (!DELIVERY_ID.test(value)) throw new BadRequestException(`header ${header} must be 1-128 characters of letters, digits and . _ : -`);
  return value;
}
