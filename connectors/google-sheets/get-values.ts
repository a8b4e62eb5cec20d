import { z } from 'zod';
import { googleSheets } from './application';
import { defineConnector } from '../framework/connector';
import type { Paginator } from '../framework/pagination';
import { Columns, firstRowOf, rowBlock, SheetTitle } from './a1';
import { evaluateSheets, GoogleErrorBody, sheetsError } from './errors';
import { DateTimeRenderOption, ValueRange, ValueRenderOption } from './schemas';
import type { ConnectorResponse } from '../framework/evaluate';

const Input = z.object({
  sheet: SheetTitle.optional().describe('Sheet (tab) title; without it, the first visible sheet'),
  columns: Columns.optional().describe('Columns to read, e.g. A (a key column) or A:F; without it, every column'),
  startRow: z.number().int().min(1).default(1).describe('First row of the block (1 is the top row)'),
  rowCount: z.number().int().min(1).max(10_000).default(1000).describe('Rows per block: each page reads the next block'),
  valueRenderOption: ValueRenderOption,
  dateTimeRenderOption: DateTimeRenderOption,
});

const Output = ValueRange.transform((range) => ({ ...range, startRow: firstRowOf(range.range) ?? 1 }));

/**
 * Pages by ranges: each page is the next block of `rowCount` rows, until a block comes back short.
 * Google leaves trailing empty rows out of an answer, so a short block is the end of the data (a
 * run of empty rows at the end of a full-sized block ends it too: keep the data contiguous).
 */
const byRowBlocks: Paginator<z.output<typeof Input>, z.output<typeof Output>> = {
  style: 'offset',
  next: ({ input, output }) => (output.values.length < input.rowCount ? undefined : { input: { ...input, startRow: input.startRow + input.rowCount } }),
};

const CONNECTOR = 'google-sheets.getValues';

/**
 * A block that starts below the sheet's last row is refused by Google ("Range ('Sheet1'!A1001:Z2000)
 * exceeds grid limits. Max rows: 1000, max columns: 26"); for the pages that is the end of the
 * data, an empty block. Anything else, and a block starting inside the grid, stays Google's error.
 */
function evaluate(response: ConnectorResponse, defaults: () => unknown): unknown {
  if (response.status !== 400) return evaluateSheets(CONNECTOR)(response, defaults);
  const body = GoogleErrorBody.safeParse(response.body);
  const maxRows = body.success ? /exceeds grid limits\. Max rows: (\d+)/.exec(body.data.error.message)?.[1] : undefined;
  const requested = response.url ? requestedRange(response.url) : undefined;
  const first = requested === undefined ? undefined : firstRowOf(requested);
  if (maxRows !== undefined && requested !== undefined && first !== undefined && first > Number(maxRows)) return { range: requested, majorDimension: 'ROWS', values: [] };
  throw sheetsError(CONNECTOR, response);
}

function requestedRange(url: string): string | undefined {
  const match = /\/values\/([^/?]+)$/.exec(new URL(url).pathname);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

/** https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/get */
export const getValues = defineConnector({
  application: googleSheets,
  name: 'getValues',
  description: 'One block of rows of a sheet (all or some columns), as rows of cells; `.pages()` reads block after block until a short one',
  input: Input,
  output: Output,
  request: ({ sheet, columns, startRow, rowCount, valueRenderOption, dateTimeRenderOption }) => ({
    method: 'GET',
    path: `/values/${encodeURIComponent(rowBlock(sheet, columns, startRow, rowCount))}`,
    query: { majorDimension: 'ROWS', valueRenderOption, dateTimeRenderOption },
  }),
  evaluate,
  pagination: () => byRowBlocks,
});
