/**
 * "Try this action": runs one connector for one channel through Temporal (the `runAction`
 * workflow) and answers with its output, so a user sees exactly what a flow would get.
 */
import { randomUUID } from 'node:crypto';
import { HttpException, HttpStatus, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { ConnectorRegistry } from '../../connectors/registry';
import type { TemporalSettings } from '../../runtime/temporal-config';
import type { ChannelStore } from '../../store/channel-store';
import { flowSearchAttributes, flowWorkflowId } from '../../workflows/framework/run-options';
import { callTemporal } from '../common/temporal-errors';
import { parseOrThrow } from '../common/validation';
import { CHANNEL_STORE, CONNECTOR_REGISTRY, TEMPORAL_CLIENT, TEMPORAL_SETTINGS } from '../tokens';

const RunActionRequest = z.strictObject({ channelId: z.string().min(1), input: z.record(z.string(), z.unknown()).default({}) });
export const runActionRequestSchema = RunActionRequest;

const ACTION_TIMEOUT_MS = 60_000;

export interface ActionResult {
  workflowId: string;
  runId: string;
  output: unknown;
}

@Injectable()
export class ActionsService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(TEMPORAL_SETTINGS) private readonly settings: TemporalSettings,
    @Inject(CHANNEL_STORE) private readonly channels: ChannelStore,
    @Inject(CONNECTOR_REGISTRY) private readonly registry: ConnectorRegistry,
  ) {}

  async run(application: string, action: string, body: unknown): Promise<ActionResult> {
    const found = await this.registry.action(application, action);
    if (!found) throw new NotFoundException(`application ${application} has no action "${action}"`);
    const request = parseOrThrow(RunActionRequest, body);
    const channel = await this.channels.get(request.channelId);
    if (!channel || channel.application !== application) throw new NotFoundException(`no channel "${request.channelId}" of application ${application}`);
    // Check the input here too, so a typo answers 400 at once instead of failing a run.
    parseOrThrow(found.connector.input, request.input, 'input');

    const workflowId = flowWorkflowId('runAction', channel.id, `${action}-${randomUUID()}`);
    const handle = await callTemporal(this.client.connection, 10_000, () =>
      this.client.workflow.start('runAction', {
        taskQueue: this.settings.taskQueue,
        workflowId,
        args: [{ channelId: channel.id, connector: found.key, input: request.input }],
        typedSearchAttributes: flowSearchAttributes({ name: 'runAction', application: { name: application } }, channel.id, 'manual'),
        staticSummary: `try ${found.key} for channel ${channel.id}`,
      }),
    );
    try {
      const output = await callTemporal(this.client.connection, ACTION_TIMEOUT_MS, () => handle.result());
      return { workflowId, runId: handle.firstExecutionRunId, output };
    } catch (err) {
      if (!(err instanceof WorkflowFailedError)) throw err;
      const failure = rootFailure(err);
      const status = failure?.type === 'InvalidInput' ? HttpStatus.BAD_REQUEST : HttpStatus.BAD_GATEWAY;
      throw new HttpException({ statusCode: status, message: failure?.message ?? err.message, type: failure?.type ?? null, workflowId }, status);
    }
  }
}

function rootFailure(err: Error): ApplicationFailure | undefined {
  for (let current: unknown = err; current; current = (current as { cause?: unknown }).cause) {
    if (current instanceof ApplicationFailure) return current;
  }
  return undefined;
}

