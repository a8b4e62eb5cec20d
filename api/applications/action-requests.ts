/** The body of `POST /applications/:application/actions/:action/run`; the input is then checked against the action's own schema. */
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export const RunActionRequest = z.strictObject({ channelId: z.string().min(1), input: z.record(z.string(), z.unknown()).default({}) });
export type RunActionRequest = z.output<typeof RunActionRequest>;
export class RunActionDto extends createZodDto(RunActionRequest) {}
