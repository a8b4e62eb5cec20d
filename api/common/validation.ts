/**
 * Validation at the edge with zod: a failure becomes 400 with one message naming every bad field
 * and an `issues` list a tool can read. Values are never echoed (they may be secrets).
 */
import { BadRequestException, HttpStatus } from '@nestjs/common';
import { createZodValidationPipe } from 'nestjs-zod';
import { z } from 'zod';

export interface FieldIssue {
  field: string;
  message: string;
}

export function issuesOf(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return { field: path || '(body)', message: issue.message };
  });
}

export function badRequest(issues: FieldIssue[]): BadRequestException {
  return new BadRequestException({
    statusCode: HttpStatus.BAD_REQUEST,
    error: 'Bad Request',
    message: issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '),
    issues,
  });
}

/** Parses `value` or throws 400; `prefix` names where the value sits in the request, e.g. `settings`. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest(issuesOf(parsed.error, prefix));
  return parsed.data;
}

/**
 * The global pipe: a `@Body()` or `@Query()` typed with a DTO (`requestDto`, over nestjs-zod's
 * `createZodDto`) is parsed by its schema, and a failure is the 400 above. Fields are named by
 * their path in the value checked: `name` in a body, `limit` in a query.
 */
export const ZodValidationPipe = createZodValidationPipe({
  createValidationException: (error) => (error instanceof z.ZodError ? badRequest(issuesOf(error)) : (error as Error)),
});
