/**
 * A zod schema as OpenAPI 3.0 JSON Schema for Swagger: the one conversion, so a documented
 * request or response is the schema the code parses or builds, not a copy of it.
 */
import { z } from 'zod';

export function asOpenApi(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  return z.toJSONSchema(schema, { io, target: 'openapi-3.0', unrepresentable: 'any' }) as Record<string, unknown>;
}
