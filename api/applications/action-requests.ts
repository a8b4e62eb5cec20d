/** The body of `POST /applications/:application/actions/:action/run`; the input is then checked against the action's own schema. */
import { z } from 'zod';
import { requestDto } from '../common/openapi';

export const RunActionRequest = z.strictObject({ channelId: z.string().min(1), input: z.record(z.string(), z.unknown()).default({}) });
export type RunActionRequest = z.output<typeof RunActionRequest>;
export class RunActionDto extends requestDto(RunActionRequest) {}
