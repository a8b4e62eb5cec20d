import { Controller, Get, HttpStatus, Inject, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Request, Response } from 'express';
import { principalOf } from '../auth/principal';
import { Public } from '../auth/scopes';
import type { TemporalSettings } from '../../runtime/temporal-config';
import { ChannelStore } from '../../store/channel-store';
import { connectorTaskQueues } from '../../workflows/framework/task-queues';
import { unavailableReason } from '../common/temporal-errors';
import { TEMPORAL_SETTINGS } from '../tokens';
import { HealthReportResponse, HealthStatusResponse, type HealthReport, type HealthStatus, type TaskQueueHealth } from './health-report';

export type { HealthReport, HealthStatus, TaskQueueHealth } from './health-report';

const HEALTH_TIMEOUT_MS = 2_000;
const REPORT_REUSE_MS = 1_000;
const { TaskQueueType } = temporal.api.enums.v1;
/**
 * What a check asks Temporal: the status needs only the flows' queue (two calls), the report for a
 * caller with a key every queue (two dozen): a load balancer's probes stay cheap.
 */
type Detail = 'status' | 'every queue';
/** The full report with a key, only the status without. */
const reportSchema = { oneOf: [{ $ref: getSchemaPath(HealthReportResponse) }, { $ref: getSchemaPath(HealthStatusResponse) }] };

@ApiTags('health')
@Public({ optionalKey: true })
@Controller('health')
export class HealthController {
  private readonly cached = new Map<Detail, { at: number; report: Promise<HealthReport> }>();

  constructor(
    private readonly client: Client,
    @Inject(TEMPORAL_SETTINGS) private readonly settings: TemporalSettings,
    private readonly store: ChannelStore,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Whether the API can reach Temporal and the store, and whether workers poll the task queues',
    description: 'Public: without a key only `status`; with an API key (any scope) also `temporal`, `store` and `worker` with addresses and reasons.',
  })
  @ApiExtraModels(HealthReportResponse, HealthStatusResponse)
  @ApiResponse({ status: 200, description: "`ok`, or `degraded` when no worker polls the flows' task queue; with a key, `worker.taskQueues` lists pollers per queue", schema: reportSchema })
  @ApiResponse({ status: 503, description: 'Temporal or the store does not answer; with a key, `temporal.reason` / `store.reason` say why', schema: reportSchema })
  async health(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<HealthReport | HealthStatus> {
    const principal = principalOf(req);
    const full = principal !== undefined && !principal.codecOnly;
    const report = await this.recentReport(full ? 'every queue' : 'status');
    if (report.status === 'unavailable') res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return full ? report : { status: report.status };
  }

  /**
   * One check per second at most, shared by every caller in that second: /health is public, and
   * each check costs Temporal several calls, so a flood of checks must not become a flood there.
   */
  private recentReport(detail: Detail): Promise<HealthReport> {
    const now = Date.now();
    let recent = this.cached.get(detail);
    if (!recent || now - recent.at >= REPORT_REUSE_MS) this.cached.set(detail, (recent = { at: now, report: this.report(detail) }));
    return recent.report;
  }

  private async report(detail: Detail): Promise<HealthReport> {
    const [temporalHealth, store] = await Promise.all([this.temporal(), this.storeHealth()]);
    if (!temporalHealth.reachable || !store.reachable) return { status: 'unavailable', temporal: temporalHealth, store };
    const taskQueues = await this.taskQueues(detail).catch(() => []);
    const polled = taskQueues[0] && taskQueues[0].workflowPollers > 0;
    return { status: polled ? 'ok' : 'degraded', temporal: temporalHealth, store, worker: { taskQueues } };
  }

  private async temporal(): Promise<HealthReport['temporal']> {
    const base = { address: this.settings.address, namespace: this.settings.namespace };
    try {
      await this.withDeadline(() => this.client.connection.workflowService.describeNamespace({ namespace: this.settings.namespace }));
      return { ...base, reachable: true };
    } catch (err) {
      return { ...base, reachable: false, reason: unavailableReason(err) };
    }
  }

  private async storeHealth(): Promise<HealthReport['store']> {
    try {
      await Promise.race([this.store.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), HEALTH_TIMEOUT_MS).unref())]);
      return { reachable: true };
    } catch (err) {
      return { reachable: false, reason: (err as Error).message.split('\n')[0] };
    }
  }

  /** The flows' queue first, then (for a caller with a key) one per rate-limited application group. */
  private async taskQueues(detail: Detail): Promise<TaskQueueHealth[]> {
    const names = detail === 'status' ? [this.settings.taskQueue] : connectorTaskQueues(this.settings.taskQueue);
    const pollers = (name: string, type: number) =>
      this.withDeadline(() => this.client.connection.workflowService.describeTaskQueue({ namespace: this.settings.namespace, taskQueue: { name }, taskQueueType: type })).then(
        (r) => r.pollers?.length ?? 0,
      );
    return Promise.all(
      names.map(async (name) => ({
        name,
        workflowPollers: name === this.settings.taskQueue ? await pollers(name, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW) : 0,
        activityPollers: await pollers(name, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
      })),
    );
  }

  private withDeadline<T>(fn: () => Promise<T>): Promise<T> {
    return this.client.connection.withDeadline(Date.now() + HEALTH_TIMEOUT_MS, fn);
  }
}
