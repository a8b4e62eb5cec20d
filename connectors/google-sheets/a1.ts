/**
 * A1 notation as the Sheets API reads it (https://developers.google.com/workspace/sheets/api/guides/concepts#cell):
 * `'Sheet title'!A1:D5`, `Sheet1!A:A`, `A1:B2` (the first visible sheet). The connectors take a
 * sheet title and the cells apart, and join them here, so a title with spaces, quotes or `!` in
 * it cannot change which cells a flow writes.
 */
import { z } from 'zod';

/** Sheet titles are at most 100 characters; Google refuses none of the printable ones in a quoted title. */
export const SheetTitle = z
  .string()
  .min(1)
  .max(100)
  .refine((title) => ![...title].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), 'no control characters');

/** Cells without a sheet: one cell (`A1`) or a span (`A1:D5`, `A:D`, `A2:D`, `3:7`). */
export const Cells = z
  .string()
  .transform((cells) => cells.toUpperCase())
  .pipe(z.string().regex(/^([A-Z]{1,3}\d+|([A-Z]{1,3}\d*|\d+):([A-Z]{1,3}\d*|\d+))$/, 'A1 cells without a sheet, e.g. B2, A1:D5, A:D or 2:9'));

/** Columns only: `A`, `A:D`. */
export const Columns = z
  .string()
  .transform((columns) => columns.toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{1,3}(:[A-Z]{1,3})?$/, 'columns, e.g. A or A:D'));

/** Always quoted: valid for every title, and a quote inside is doubled, as A1 escapes it. */
export function quoteSheet(title: string): string {
  return `'${title.replace(/'/g, "''")}'`;
}

/** `'Sheet'!cells`, the whole sheet without cells, or the cells alone (the first visible sheet). */
export function a1(sheet: string | undefined, cells: string | undefined): string {
  if (sheet === undefined) {
    if (cells === undefined) throw new Error('a range needs a sheet or cells');
    return cells;
  }
  return cells === undefined ? quoteSheet(sheet) : `${quoteSheet(sheet)}!${cells}`;
}

/** Rows `first`..`first + count - 1` of `columns` (`A:D`, `A`; all columns when absent). */
export function rowBlock(sheet: string | undefined, columns: string | undefined, first: number, count: number): string {
  const last = first + count - 1;
  if (columns === undefined) return a1(sheet, `${first}:${last}`);
  const [from, to = from] = columns.split(':') as [string, string?];
  return a1(sheet, `${from}${first}:${to}${last}`);
}

/** The first row a returned range starts at (`'My sheet'!A1001:D2000` → 1001), from the cells after the last `!`. */
export function firstRowOf(range: string): number | undefined {
  const cells = range.slice(range.lastIndexOf('!') + 1);
  const match = /^[A-Za-z]*(\d+)/.exec(cells);
  return match ? Number(match[1]) : undefined;
}

/** Where the connectors write: a sheet and its cells, either may be left out (not both). */
export const Target = {
  sheet: SheetTitle.optional().describe('Sheet (tab) title, quoted for you; without it `range` names the cells of the first visible sheet'),
  range: Cells.optional().describe('Cells in A1 notation without the sheet (A1:D5, A:D); without it the whole sheet'),
};

export function targetOf(input: { sheet?: string | undefined; range?: string | undefined }): string {
  return a1(input.sheet, input.range);
}

/** Refuses a target with neither sheet nor range, naming the field. */
export function needsSheetOrRange(input: { sheet?: string | undefined; range?: string | undefined }, ctx: z.RefinementCtx): void {
  if (input.sheet === undefined && input.range === undefined) ctx.addIssue({ code: 'custom', path: ['sheet'], message: 'give sheet, range, or both' });
}
