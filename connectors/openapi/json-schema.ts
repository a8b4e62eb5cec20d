/**
 * JSON Schema validation for imported connectors (Ajv: OpenAPI 3.0's dialect with `nullable`, or
 * JSON Schema 2020-12 for 3.1), wrapped as a zod schema so imported and hand-written connectors
 * share one interface. Schemas compile on first use: importing 1,000 operations compiles nothing.
 *
 * Patterns run on RE2 (patterns.ts), so a crafted value cannot make a catastrophic pattern from a
 * document freeze the process. Schemas are prepared for Ajv first (ajv-schema.ts): the document's
 * dialect translated, and keywords Ajv cannot compile dropped, so one faulty keyword does not make
 * an operation unusable (the import reported it in `warnings`).
 */
import Ajv, { type Options, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { z } from 'zod';
import { prepareForAjv, type Dialect } from './ajv-schema';
import { linearRegExp } from './patterns';
import { jsonPointerSegments } from './refs';
import { isObject, type Json } from './schema-walk';

const options: Options = { strict: false, allErrors: true, validateFormats: true, code: { regExp: linearRegExp }, logger: false };

export const engines: Record<Dialect, Ajv> = {
  '3.0': addFormats(new Ajv(options)),
  '3.1': addFormats(new Ajv2020(options)),
};

/**
 * A document's components, prepared once per dialect: the copy is Ajv's, the stored spec stays as
 * imported. `$ref`s point at `#/components/schemas/<name>`, which preparing keeps in place.
 */
const preparedComponents = new WeakMap<object, Partial<Record<Dialect, Json>>>();

function componentsFor(components: unknown, dialect: Dialect): unknown {
  if (!isObject(components)) return components;
  const byDialect = preparedComponents.get(components) ?? {};
  let prepared = byDialect[dialect];
  if (!prepared) {
    prepared = structuredClone(components);
    if (isObject(prepared.schemas)) for (const schema of Object.values(prepared.schemas)) if (isObject(schema)) prepareForAjv(engines[dialect], schema, dialect);
    byDialect[dialect] = prepared;
    preparedComponents.set(components, byDialect);
  }
  return prepared;
}

function pathOf(instancePath: string, missing?: string): Array<string | number> {
  const parts = jsonPointerSegments(instancePath);
  return missing ? [...parts, missing] : parts;
}

/** Compiles `schema` with the document's components, as validation at run time does. */
export function compileSchema(schema: object, components: unknown, dialect: Dialect): ValidateFunction {
  const root = structuredClone(schema) as Json;
  prepareForAjv(engines[dialect], root, dialect);
  return engines[dialect].compile({ ...root, components: componentsFor(components, dialect) });
}

/** A zod schema that accepts what `schema` (with `components` for its references) accepts. */
export function jsonSchemaValidator(schema: object, components: unknown, dialect: Dialect): z.ZodType {
  let validate: ValidateFunction | undefined;
  return z.unknown().superRefine((value, ctx) => {
    validate ??= compileSchema(schema, components, dialect);
    if (validate(value)) return;
    for (const error of validate.errors ?? []) {
      const missing = (error.params as { missingProperty?: string }).missingProperty;
      ctx.addIssue({ code: 'custom', path: pathOf(error.instancePath, missing), message: missing ? 'required' : (error.message ?? 'invalid') });
    }
  });
}
