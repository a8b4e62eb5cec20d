/**
 * An imported action's pagination (stored as data, see spec.ts) as the framework's paginator, so
 * `.pages()` works on it as on a hand-written connector: one activity per page, a next-page URL
 * only on the origin the page came from (execute.ts refuses others).
 */
import { linkHeader, nextUrl, type PageContext, type Paginator } from '../framework/pagination';
import type { ImportedPagination, OutputPath } from './spec';

type Input = Record<string, unknown>;

/** The value at `path` in `output`; an index segment picks an array's item (`-1` the last). */
export function valueAt(output: unknown, path: OutputPath): unknown {
  let node = output;
  for (const segment of path) {
    if (Array.isArray(node) && /^-?\d+$/.test(segment)) {
      const index = Number(segment);
      node = node[index < 0 ? node.length + index : index];
    } else if (node !== null && typeof node === 'object' && !Array.isArray(node) && Object.prototype.hasOwnProperty.call(node, segment)) {
      node = (node as Record<string, unknown>)[segment];
    } else return undefined;
  }
  return node;
}

/** A token or URL: a non-empty string, or a number written as one. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

/** Whether the page at `results` is empty, or short of the limit the input asked for: then it was the last. */
function lastPage(context: PageContext<Input, unknown>, results: OutputPath, limitParam: string | undefined): { last: boolean; count: number } {
  const items = valueAt(context.output, results);
  const count = Array.isArray(items) ? items.length : 0;
  const limit = limitParam === undefined ? NaN : Number(context.input[limitParam]);
  return { last: count === 0 || (Number.isFinite(limit) && limit > 0 && count < limit), count };
}

export function importedPaginator(pagination: ImportedPagination): Paginator<Input, unknown> {
  switch (pagination.style) {
    case 'link-header':
      return linkHeader();
    case 'cursor':
      return {
        style: 'cursor',
        next: ({ input, output }) => {
          // As given: a numeric token goes to a numeric parameter as a number.
          const token = valueAt(output, pagination.next);
          return text(token) === undefined ? undefined : { input: { ...input, [pagination.param]: token } };
        },
      };
    case 'next-url':
      return nextUrl({ next: (output) => text(valueAt(output, pagination.next)) });
    case 'page-number':
      return {
        style: 'page-number',
        next: (context) => {
          const more = pagination.hasMore ? valueAt(context.output, pagination.hasMore) === true : !lastPage(context, pagination.results ?? [], pagination.limitParam).last;
          if (!more) return undefined;
          const current = Number(context.input[pagination.param] ?? pagination.first ?? 1);
          return { input: { ...context.input, [pagination.param]: current + 1 } };
        },
      };
    case 'offset':
      return {
        style: 'offset',
        next: (context) => {
          const { last, count } = lastPage(context, pagination.results, pagination.limitParam);
          if (last) return undefined;
          return { input: { ...context.input, [pagination.param]: Number(context.input[pagination.param] ?? 0) + count } };
        },
      };
  }
}
