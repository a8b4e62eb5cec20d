import { z } from 'zod';

/**
 * A secret credential field: rendered as a password input (JSON Schema `format: password`,
 * `writeOnly`), never returned by the API, never logged.
 */
export function secret(description?: string) {
  const field = z.string().min(1).meta({ format: 'password', writeOnly: true });
  return description ? field.describe(description) : field;
}
