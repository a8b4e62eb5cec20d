/**
 * "Try this action": runs one connector for one channel through Temporal (the `runAction` system
 * workflow) and answers with its output, so a user sees exactly what a flow would get. A run that
 * outlasts the wait is reported as still running, with the workflow id to follow, not as an
 * unreachable Temporal.
 */
import { randomUUID } from 'node:crypto';
import { HttpException, HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { WorkflowFailedError, Client, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ConnectorRegistry } from '../../connectors/registry';
import { ChannelStore } from '../../store/channel-store';
import { RunStarter } from '../../workflows/framework/run-starter';
import type { runAction } from '../../workflows/run-action';
import { systemWorkflows } from '../../workflows/system-workflows';
import { callTemporal, isTemporalUnavailable } from '../common/temporal-errors';
import { parseOrThrow } from '../common/validation';

import type { RunActionRequest } from './action-requests';
import type { ActionResult, ActionRunning } from './action-view';

export type { ActionResult, ActionRunning } from './action-view';

/** How long starting the run, or asking where it stands, may take. */
const TEMPORAL_TIMEOUT_MS = 10_000;

@Injectable()
export class ActionsService {
  constructor(
    private readonly client: Client,
    private readonly channels: ChannelStore,
    private readonly registry: ConnectorRegistry,
    private readonly runs: RunStarter,
  ) {}

  /** The body is checked by the pipe, so before an unknown action's 404. */
  async run(application: string, action: string, request: RunActionRequest): Promise<ActionResult | ActionRunning> {
    const found = await this.registry.action(application, action);
    if (!found) throw new NotFoundException(`application ${application} has no action "${action}"`);
    const channel = await this.channels.get(request.channelId);
    if (!channel || channel.application !== application) throw new NotFoundException(`no channel "${request.channelId}" of application ${application}`);
    // Check the input here too, so a typo answers 400 at once instead of failing a run.
    parseOrThrow(found.connector.input, request.input, 'input');

    const handle = await callTemporal(this.client.connection, TEMPORAL_TIMEOUT_MS, () => this.runs.startAction(channel, action, { connector: found.key, input: request.input }, randomUUID()));
    return this.outcome(handle);
  }

  private async outcome(handle: WorkflowHandleWithFirstExecutionRunId<typeof runAction>): Promise<ActionResult | ActionRunning> {
    const { workflowId, firstExecutionRunId: runId } = handle;
    const waitMs = systemWorkflows.runAction.waitMs;
    try {
      const output = await this.client.connection.withDeadline(Date.now() + waitMs, () => handle.result());
      return { workflowId, runId, output };
    } catch (err) {
      if (err instanceof WorkflowFailedError) throw failed(err, workflowId);
      // The wait running out looks like an unreachable Temporal (a deadline): ask where the run stands.
      if (!isTemporalUnavailable(err)) throw err;
    }
    const { status } = await callTemporal(this.client.connection, TEMPORAL_TIMEOUT_MS, () => handle.describe());
    if (status.name === 'RUNNING') {
      return {
        workflowId,
        runId,
        status: 'RUNNING',
        message: `still running after ${waitMs / 1000} s; follow it with GET /runs?flow=${systemWorkflows.runAction.name}&channel=<channel> or in the Web UI under this workflow id`,
      };
    }
    // It closed just after the wait: its outcome is there now.
    try {
      return { workflowId, runId, output: await callTemporal(this.client.connection, TEMPORAL_TIMEOUT_MS, () => handle.result()) };
    } catch (err) {
      if (err instanceof WorkflowFailedError) throw failed(err, workflowId);
      throw err;
    }
  }
}

/** The remote's failure as the answer: 400 for input the connector refused, else 502. */
function failed(err: WorkflowFailedError, workflowId: string): HttpException {
  const failure = rootFailure(err);
  const status = failure?.type === 'InvalidInput' ? HttpStatus.BAD_REQUEST : HttpStatus.BAD_GATEWAY;
  return new HttpException({ statusCode: status, message: failure?.message ?? err.message, type: failure?.type ?? null, workflowId }, status);
}

function rootFailure(err: Error): ApplicationFailure | undefined {
  for (let current: unknown = err; current; current = (current as { cause?: unknown }).cause) {
    if (current instanceof ApplicationFailure) return current;
  }
  return undefined;
}
