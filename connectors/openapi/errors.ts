/**
 * Why an import was refused. ImportError: the document itself is wrong (400, with where).
 * ImportLimitError: processing it went over the time or memory limit, or its nesting over the
 * stack (422); the document may be hostile (a `$ref` bomb) or just too big for the limits set.
 */
import type { ImportIssue } from './spec';

export class ImportError extends Error {
  constructor(
    message: string,
    readonly issues: ImportIssue[] = [],
  ) {
    super(message);
  }
}

export class ImportLimitError extends Error {
  constructor(
    message: string,
    readonly limit: 'time' | 'memory' | 'depth',
  ) {
    super(message);
  }
}
