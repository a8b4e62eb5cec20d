/** The query of GET /runs and its DTO, and the workflow id of the routes of one run. Filter values go into a visibility query, so they are held to plain names. */
import { z } from 'zod';
import { requestDto } from '../common/openapi';

const Name = z.string().regex(/^[A-Za-z0-9._:@-]{1,200}$/, 'letters, digits and . _ : @ - only');

export const RUN_STATUSES = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  canceled: 'Canceled',
  terminated: 'Terminated',
  timed_out: 'TimedOut',
  continued_as_new: 'ContinuedAsNew',
} as const;

export const RunsQuery = z.strictObject({
  status: z.enum(Object.keys(RUN_STATUSES) as [keyof typeof RUN_STATUSES, ...Array<keyof typeof RUN_STATUSES>]).optional(),
  flow: Name.optional(),
  channel: Name.optional(),
  application: Name.optional(),
  trigger: z.enum(['polling', 'webhook', 'manual', 'backfill']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});
export type RunsQuery = z.output<typeof RunsQuery>;
export class RunsQueryDto extends requestDto(RunsQuery) {}

/** The visibility query for these filters: only our flows' runs (they carry FlowName). */
export function visibilityQuery(query: RunsQuery): string {
  const clauses = ['FlowName IS NOT NULL'];
  if (query.status) clauses.push(`ExecutionStatus = "${RUN_STATUSES[query.status]}"`);
  if (query.flow) clauses.push(`FlowName = "${query.flow}"`);
  if (query.channel) clauses.push(`ChannelId = "${query.channel}"`);
  if (query.application) clauses.push(`Application = "${query.application}"`);
  // `Trigger` is a reserved word in the visibility query language: quoted.
  if (query.trigger) clauses.push(`\`Trigger\` = "${query.trigger}"`);
  return clauses.join(' AND ');
}

/**
 * `:workflowId` of the routes of one run (retry, cancel, progress), as Express decoded it from
 * the URL: Temporal's own limits (at most 1,000 characters), and no control characters, which no
 * id the engine makes has.
 */
export const WorkflowIdParam = z
  .string()
  .min(1)
  .max(1000)
  .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters');
