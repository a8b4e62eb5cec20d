/**
 * JSON Schema validation for imported connectors (Ajv: OpenAPI 3.0's dialect with `nullable`, or
 * JSON Schema 2020-12 for 3.1), wrapped as a zod schema so imported and hand-written connectors
 * share one interface. Schemas compile on first use: importing 1,000 operations compiles nothing.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { z } from 'zod';

const engines = {
  '3.0': addFormats(new Ajv({ strict: false, allErrors: true, validateFormats: true })),
  '3.1': addFormats(new Ajv2020({ strict: false, allErrors: true, validateFormats: true })),
};

function pathOf(instancePath: string, missing?: string): Array<string | number> {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return missing ? [...parts, missing] : parts;
}

/** A zod schema that accepts what `schema` (with `components` for its references) accepts. */
export function jsonSchemaValidator(schema: object, components: unknown, dialect: '3.0' | '3.1'): z.ZodType {
  let validate: ValidateFunction | undefined;
  return z.unknown().superRefine((value, ctx) => {
    validate ??= engines[dialect].compile({ ...schema, components });
    if (validate(value)) return;
    for (const error of validate.errors ?? []) {
      const missing = (error.params as { missingProperty?: string }).missingProperty;
      ctx.addIssue({ code: 'custom', path: pathOf(error.instancePath, missing), message: missing ? 'required' : (error.message ?? 'invalid') });
    }
  });
}
