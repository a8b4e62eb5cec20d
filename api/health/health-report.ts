/** What GET /health answers: zod schemas that are the types and the Swagger schema. */
import { z } from 'zod';
import { responseDto } from '../common/openapi';

export const TaskQueueHealth = z.object({
  name: z.string(),
  /** Workers polling for workflow tasks (flows), and for activity tasks (connector calls), seen recently by Temporal. */
  workflowPollers: z.int().min(0).describe('Workers polling for workflow tasks (flows), seen recently by Temporal'),
  activityPollers: z.int().min(0).describe('Workers polling for activity tasks (connector calls), seen recently by Temporal'),
});
export type TaskQueueHealth = z.infer<typeof TaskQueueHealth>;

const Status = z.enum(['ok', 'degraded', 'unavailable']).describe("`degraded`: Temporal and the store answer, but no worker polls the flows' task queue, so runs would wait");

/** With an API key (any scope): addresses and reasons too. */
export const HealthReport = z.object({
  status: Status,
  temporal: z.object({ address: z.string().optional(), namespace: z.string(), reachable: z.boolean(), reason: z.string().optional() }),
  store: z.object({ reachable: z.boolean(), reason: z.string().optional() }),
  worker: z.object({ taskQueues: z.array(TaskQueueHealth).describe("The flows' queue first, then one per rate-limited application group") }).optional(),
});
export type HealthReport = z.infer<typeof HealthReport>;
export class HealthReportResponse extends responseDto(HealthReport) {}

/** What an anonymous caller (a load balancer, an uptime check) is told: addresses and error texts need a key. */
export const HealthStatus = z.object({ status: Status });
export type HealthStatus = z.infer<typeof HealthStatus>;
export class HealthStatusResponse extends responseDto(HealthStatus) {}
