/** What running an action answers: its output (200), or where to follow a run still going (202). */
import { z } from 'zod';
import { responseDto } from '../common/openapi';

export const ActionResult = z.object({
  workflowId: z.string(),
  runId: z.string(),
  output: z.unknown().describe("The connector's output"),
});
export type ActionResult = z.infer<typeof ActionResult>;
export class ActionResultResponse extends responseDto(ActionResult) {}

/** Answered with 202 when the output was not there within the wait. */
export const ActionRunning = z.object({
  workflowId: z.string(),
  runId: z.string(),
  status: z.literal('RUNNING'),
  message: z.string(),
});
export type ActionRunning = z.infer<typeof ActionRunning>;
export class ActionRunningResponse extends responseDto(ActionRunning) {}
