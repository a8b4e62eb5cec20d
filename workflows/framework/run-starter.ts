/**
 * The one way a run is started, signalled or scheduled: webhooks (start and signalWithStart),
 * polling schedules, sync-now, webhook subscription changes (from the API and the worker's
 * start-up) and action runs all get their workflow id, search attributes, summary, details,
 * reuse policy and task queue here, so no two of them can drift apart. Used by the API and the
 * worker; not part of the workflow bundle (it holds the Temporal client).
 */
import { WorkflowExecutionAlreadyStartedError, type Client, type ScheduleOptionsStartWorkflowAction, type WorkflowHandleWithFirstExecutionRunId, type WorkflowStartOptions } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import type { ConnectorCall } from '../../activities/connector-call';
import type { runAction } from '../run-action';
import { systemWorkflows } from '../system-workflows';
import type { webhookSubscriptions, WebhookSubscriptionChange } from '../webhook-subscriptions';
import { scheduleIdFor, type FlowDefinition, type PollingTrigger, type WebhookSignalTrigger, type WebhookTrigger } from './flow';
import { runDetails } from './run-details';
import { flowSearchAttributes, flowWorkflowId, type RunnableWorkflow, type TriggerKind } from './run-options';

export interface StartedRun {
  flow: string;
  workflowId: string;
  runId: string;
  /** True when the id was taken by an earlier delivery: no second run was started. */
  duplicate?: boolean;
}

/** Who a run is for, and why: everything its id and metadata are made of. */
interface RunPlan {
  workflow: RunnableWorkflow;
  application: string;
  channelId: string;
  trigger: TriggerKind;
  /** The last part of the workflow id, after `<workflow>/<channel>/`. */
  key: string;
  summary: string;
  /** How it was started, in words, for the details. */
  started: string;
}

type Identity = Pick<WorkflowStartOptions, 'taskQueue' | 'workflowId' | 'typedSearchAttributes' | 'staticSummary' | 'staticDetails'> & { workflowId: string };

/** Where a channel's subscription changes run, one at a time (API changes and the worker's start-up alike). */
export function subscriptionChangeId(channelId: string): string {
  return flowWorkflowId(systemWorkflows.webhookSubscriptions.name, channelId, 'changes');
}

/** Where webhook runs may start eagerly: a client on the connection of a worker in this process (api/embedded-worker.ts). */
export interface EagerStarts {
  /** Undefined while that worker does not run: starts go the ordinary way. */
  client(): Client | undefined;
}

export class RunStarter {
  constructor(
    private readonly client: Client,
    readonly taskQueue: string,
    private readonly eager?: EagerStarts,
  ) {}

  /**
   * Runs `fn` with a deadline on every connection a start may take: the client's and, when runs
   * start eagerly, the worker's. What passes it fails as DEADLINE_EXCEEDED.
   */
  withDeadline<R>(deadline: number, fn: () => Promise<R>): Promise<R> {
    const eagerConnection = this.eager?.client()?.connection;
    return this.client.connection.withDeadline(deadline, () => (eagerConnection ? eagerConnection.withDeadline(deadline, fn) : fn()));
  }

  /** What a polling flow's schedule starts; Temporal appends the tick's time to the id (`…/scheduled-<time>`). */
  scheduleAction(flow: FlowDefinition<PollingTrigger>, channelId: string): ScheduleOptionsStartWorkflowAction<(input: { channelId: string; intervalMs: number }) => Promise<unknown>> {
    const every = flow.trigger.every;
    return {
      type: 'startWorkflow',
      workflowType: flow.name,
      args: [{ channelId, intervalMs: msToNumber(every) }],
      ...this.identity({
        workflow: flow,
        application: flow.application,
        channelId,
        trigger: 'polling',
        key: 'scheduled',
        summary: `${flow.name} for channel ${channelId}`,
        started: `schedule ${scheduleIdFor(flow.name, channelId)}, every ${String(every)}`,
      }),
    };
  }

  /** A polling flow now, outside its schedule: from the cursor, or (`full`) from the beginning. */
  async startSync(flow: FlowDefinition<PollingTrigger>, channelId: string, full: boolean, unique: string): Promise<StartedRun> {
    const options = {
      args: [{ channelId, intervalMs: msToNumber(flow.trigger.every), ...(full ? { fullResync: true } : {}) }],
      ...this.identity({
        workflow: flow,
        application: flow.application,
        channelId,
        trigger: 'manual',
        key: `${full ? 'resync' : 'manual'}-${unique}`,
        summary: `${flow.name} for channel ${channelId} (${full ? 'full resync' : 'sync now'})`,
        started: full ? 'POST /channels/:id/sync, full resync from the beginning' : 'POST /channels/:id/sync, from the stored cursor',
      }),
    };
    const handle = await this.client.workflow.start(flow.name, options);
    return { flow: flow.name, workflowId: options.workflowId, runId: handle.firstExecutionRunId };
  }

  /** A webhook delivery's run: its id from the delivery id, so a redelivery never runs twice. */
  webhookStartOptions(flow: FlowDefinition<WebhookTrigger> | FlowDefinition, channelId: string, deliveryId: string, body: unknown): WorkflowStartOptions & { workflowId: string } {
    const path = flow.trigger.type === 'webhook' ? flow.trigger.path : '';
    return {
      args: [{ channelId, deliveryId, body }],
      // A redelivered webhook (same delivery id) must not run twice, even after the first run closed.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      ...this.identity({
        workflow: flow,
        application: flow.application,
        channelId,
        trigger: 'webhook',
        key: deliveryId,
        summary: `${flow.name}: webhook delivery ${deliveryId}`,
        started: `POST /webhooks/${path}, delivery ${deliveryId}`,
      }),
    };
  }

  async startWebhook(flow: FlowDefinition<WebhookTrigger>, channelId: string, deliveryId: string, body: unknown): Promise<StartedRun> {
    const options = this.webhookStartOptions(flow, channelId, deliveryId, body);
    const eager = this.eager?.client();
    try {
      // Eagerly when a worker shares this process: its first workflow task comes back with the answer.
      const handle = eager ? await eager.workflow.start(flow.name, { ...options, requestEagerStart: true }) : await this.client.workflow.start(flow.name, options);
      return { flow: flow.name, workflowId: options.workflowId, runId: handle.firstExecutionRunId };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const existing = await this.client.workflow.getHandle(options.workflowId).describe();
      return { flow: flow.name, workflowId: options.workflowId, runId: existing.runId, duplicate: true };
    }
  }

  /** A delivery about one entity: a signal to its one long-lived run, started if there is none. */
  async signalEntity(flow: FlowDefinition<WebhookSignalTrigger>, channelId: string, entityId: string, deliveryId: string, body: unknown): Promise<StartedRun> {
    const options = this.identity({
      workflow: flow,
      application: flow.application,
      channelId,
      trigger: 'webhook',
      key: entityId,
      summary: `${flow.name} for ${entityId}`,
      started: `one run per entity, fed by POST /webhooks/${flow.trigger.path} deliveries about ${entityId}`,
    });
    const handle = await this.client.workflow.signalWithStart(flow.name, {
      ...options,
      args: [{ channelId, entityId }],
      signal: flow.trigger.signal,
      // The delivery goes along, so a redelivered event is applied once (entity-deliveries.ts).
      signalArgs: [body, { deliveryId }],
    });
    return { flow: flow.name, workflowId: options.workflowId, runId: handle.signaledRunId };
  }

  /**
   * A change of the channel's webhook subscriptions. One id per channel, whoever starts it (the
   * API on enable, disable, delete or a new secret; the worker on start-up): two changes at once
   * cannot interleave at the remote. Throws WorkflowExecutionAlreadyStartedError while another runs.
   */
  async startSubscriptionChange(
    channel: { id: string; application: string },
    change: WebhookSubscriptionChange,
    startedBy: string,
  ): Promise<WorkflowHandleWithFirstExecutionRunId<typeof webhookSubscriptions>> {
    const workflow = systemWorkflows.webhookSubscriptions;
    return this.client.workflow.start<typeof webhookSubscriptions>(workflow.name, {
      args: [change],
      workflowExecutionTimeout: workflow.executionTimeoutMs,
      ...this.identity({
        workflow,
        application: channel.application,
        channelId: channel.id,
        trigger: 'manual',
        key: 'changes',
        summary: `${change.action} webhooks of channel ${channel.id} at ${channel.application}`,
        started: startedBy,
      }),
    });
  }

  /** One connector call for one channel, as a run of its own (the API's "try this action"). */
  async startAction(
    channel: { id: string; application: string },
    action: string,
    call: Omit<ConnectorCall, 'channelId' | 'originalRunId'>,
    unique: string,
  ): Promise<WorkflowHandleWithFirstExecutionRunId<typeof runAction>> {
    const workflow = systemWorkflows.runAction;
    return this.client.workflow.start<typeof runAction>(workflow.name, {
      args: [{ channelId: channel.id, connector: call.connector, input: call.input }],
      ...this.identity({
        workflow,
        application: channel.application,
        channelId: channel.id,
        trigger: 'manual',
        key: `${action}-${unique}`,
        summary: `try ${call.connector} for channel ${channel.id}`,
        started: `POST /applications/${channel.application}/actions/${action}/run`,
      }),
    });
  }

  private identity(plan: RunPlan): Identity {
    return {
      taskQueue: this.taskQueue,
      workflowId: flowWorkflowId(plan.workflow.name, plan.channelId, plan.key),
      typedSearchAttributes: flowSearchAttributes(plan.workflow, plan.application, plan.channelId, plan.trigger),
      staticSummary: plan.summary,
      staticDetails: runDetails(plan.workflow, plan.application, plan.channelId, plan.trigger, plan.started),
    };
  }
}
