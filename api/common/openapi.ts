/**
 * Zod schemas as OpenAPI for Swagger, so a documented request or response is the schema the code
 * parses or builds, not a copy of it. Request bodies and queries are DTOs (`createZodDto`, parsed
 * by the global ZodValidationPipe); responses are `responseDto`s; `asOpenApi` is for the few
 * places a schema is documented inline.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { createZodDto, type ZodDto } from 'nestjs-zod';
import { z } from 'zod';

export function asOpenApi(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  return z.toJSONSchema(schema, { io, target: 'openapi-3.0', unrepresentable: 'any' }) as Record<string, unknown>;
}

/**
 * A class for Swagger's `type` of a response: the schema's output side, named after the class
 * that extends it (`class ChannelResponse extends responseDto(ChannelView) {}`).
 */
export function responseDto<S extends z.ZodType>(schema: S): ZodDto<S> {
  return createZodDto(schema).Output as ZodDto<S>;
}

/**
 * A compile-time check that a type made elsewhere (a store row, a framework result) fits the zod
 * schema a route documents it with: `type _ = Fits<StoredThing, z.infer<typeof ThingView>>`.
 */
export type Fits<A extends B, B> = A;

/**
 * Swagger's query parameters from a zod object, for a route that parses its query itself rather
 * than through a DTO (because its errors are answered otherwise, e.g. as an HTML page).
 */
export function ApiQueryFrom(schema: z.ZodObject): MethodDecorator {
  const json = asOpenApi(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, { description, ...property }]) =>
      ApiQuery({ name, required: json.required?.includes(name) ?? false, schema: property, ...(typeof description === 'string' ? { description } : {}) }),
    ),
  );
}
