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
 * A DTO for a request body or query: the global ZodValidationPipe parses the parameter typed with
 * it, and Swagger documents the schema's input side, named after the class that extends it
 * (`class CreateChannelDto extends requestDto(CreateChannelRequest) {}`).
 */
export function requestDto<S extends z.ZodType>(schema: S): ZodDto<S> {
  return openApi30Types(createZodDto(schema));
}

/**
 * A class for Swagger's `type` of a response: the schema's output side, named after the class
 * that extends it (`class ChannelResponse extends responseDto(ChannelView) {}`).
 */
export function responseDto<S extends z.ZodType>(schema: S): ZodDto<S> {
  return openApi30Types(createZodDto(schema).Output as ZodDto<S>);
}

/**
 * zod 4.6 writes a nullable primitive as `type: ["string", "null"]` (JSON Schema 2020-12), which
 * nestjs-zod 5.5 passes on and @nestjs/swagger reads as an array of strings. OpenAPI 3.0 says
 * `type: "string", nullable: true`; several types become an `anyOf`.
 */
function openApi30Types<D extends ZodDto>(dto: D): D {
  const Base = dto as unknown as { _OPENAPI_METADATA_FACTORY(): unknown } & (new () => object);
  class OpenApi30 extends Base {
    static override _OPENAPI_METADATA_FACTORY(): unknown {
      return withoutTypeArrays(super._OPENAPI_METADATA_FACTORY());
    }
  }
  return OpenApi30 as unknown as D;
}

function withoutTypeArrays(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTypeArrays);
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([key, item]) => [key, withoutTypeArrays(item)] as const);
  const schema: Record<string, unknown> = Object.fromEntries(entries);
  const types = schema.type;
  if (!Array.isArray(types) || !types.every((type) => typeof type === 'string')) return schema;
  const nullable = types.includes('null');
  const others = types.filter((type) => type !== 'null');
  const { type: _dropped, ...rest } = schema;
  const typed = others.length === 1 ? { ...rest, type: others[0] } : { ...rest, anyOf: others.map((type) => ({ type })) };
  return nullable ? { ...typed, nullable: true } : typed;
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
