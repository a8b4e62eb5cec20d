/**
 * How an imported action pages, as its author declares it: in the document (`x-pagination` on the
 * operation) or in the application file beside a committed document (`pagination.<action>`). One
 * small shape, the framework's styles by name:
 *
 * ```yaml
 * pagination:
 *   listItems: { style: cursor, param: cursor, next: meta.next_cursor }
 *   listOrders: { style: link-header }
 *   listEvents: { style: next-url, next: links.next }
 *   listUsers: { style: page-number, param: page, hasMore: has_more }
 *   listNotes: { style: offset, param: offset, limitParam: limit, results: data }
 *   search: { style: none }          # the application file only: turn off what the document implies
 * ```
 *
 * Places in the output are dotted (`meta.next_cursor`, `$.meta.next_cursor`, `$` for the output
 * itself) or, for keys with dots in them, a list (`['@odata.nextLink']`).
 */
import { z } from 'zod';
import type { ImportedAction, ImportedPagination, OutputPath } from './spec';

const SEGMENT = '[A-Za-z_$@][\\w$@-]*';
// `meta.next_cursor`, `$.meta.next_cursor`, `$` (the output itself), `data[-1].id` (the last item's id).
const DOTTED = new RegExp(`^(\\$|\\$\\.${SEGMENT}|${SEGMENT})(\\.${SEGMENT}|\\[-?\\d+\\])*$`);

/** A dotted place in an output as its keys (an index for `[n]`, `-1` the last item); undefined when it is not one. */
export function parseOutputPath(text: string): OutputPath | undefined {
  if (!DOTTED.test(text)) return undefined;
  const rooted = text === '$' || text.startsWith('$.') || text.startsWith('$[') ? text.slice(1) : `.${text}`;
  return [...rooted.matchAll(/\.([^.[\]]+)|\[(-?\d+)\]/g)].map((m) => m[1] ?? m[2]!);
}

const Path = z.union([
  z.string().refine((text) => parseOutputPath(text) !== undefined, 'a dotted place in the output, e.g. meta.next_cursor or $ (a list of keys for keys with dots)'),
  z.array(z.string().min(1)).max(16),
]);
const Param = z.string().min(1).max(200);

export const PaginationDeclaration = z.discriminatedUnion('style', [
  z.strictObject({ style: z.literal('link-header') }),
  z.strictObject({ style: z.literal('cursor'), param: Param, next: Path }),
  z.strictObject({ style: z.literal('next-url'), next: Path }),
  z.strictObject({ style: z.literal('page-number'), param: Param, hasMore: Path.optional(), results: Path.optional(), limitParam: Param.optional(), first: z.number().int().min(0).optional() }),
  z.strictObject({ style: z.literal('offset'), param: Param, results: Path, limitParam: Param.optional() }),
  z.strictObject({ style: z.literal('none') }),
]);
export type PaginationDeclaration = z.infer<typeof PaginationDeclaration>;

export function outputPath(path: z.infer<typeof Path>): OutputPath {
  return Array.isArray(path) ? path : parseOutputPath(path)!;
}

/**
 * The declaration checked against the action (its parameters must be query parameters of it), as
 * stored: a pagination, `null` for `none`, or why it cannot be (naming the field).
 */
export function importedPagination(declaration: PaginationDeclaration, action: Pick<ImportedAction, 'name' | 'parameters'>): ImportedPagination | null | { error: string } {
  const query = new Set(action.parameters.filter((p) => p.in === 'query').map((p) => p.name));
  const missing = (['param', 'limitParam'] as const).find(
    (key) => key in declaration && (declaration as Record<string, unknown>)[key] !== undefined && !query.has((declaration as Record<string, string>)[key]!),
  );
  if (missing) return { error: `${missing}: ${action.name} has no query parameter "${(declaration as Record<string, string>)[missing]}"` };
  switch (declaration.style) {
    case 'none':
      return null;
    case 'link-header':
      return { style: 'link-header' };
    case 'cursor':
      return { style: 'cursor', param: declaration.param, next: outputPath(declaration.next) };
    case 'next-url':
      return { style: 'next-url', next: outputPath(declaration.next) };
    case 'page-number':
      if (declaration.hasMore === undefined && declaration.results === undefined) return { error: 'hasMore or results: a page-number pagination needs to know when to stop' };
      return {
        style: 'page-number',
        param: declaration.param,
        ...(declaration.hasMore !== undefined ? { hasMore: outputPath(declaration.hasMore) } : {}),
        ...(declaration.results !== undefined ? { results: outputPath(declaration.results) } : {}),
        ...(declaration.limitParam !== undefined ? { limitParam: declaration.limitParam } : {}),
        ...(declaration.first !== undefined ? { first: declaration.first } : {}),
      };
    case 'offset':
      return { style: 'offset', param: declaration.param, results: outputPath(declaration.results), ...(declaration.limitParam !== undefined ? { limitParam: declaration.limitParam } : {}) };
  }
}

/** `issues` of a zod error as one line, the field first. */
export function describeIssues(error: z.ZodError, prefix: string): string {
  return error.issues.map((issue) => `${[prefix, ...issue.path.map(String)].filter(Boolean).join('.')}: ${issue.message}`).join('; ');
}
