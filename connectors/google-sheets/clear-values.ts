import { z } from 'zod';
import { googleSheets } from './application';
import { defineConnector } from '../framework/connector';
import { Cells, Target, targetOf } from './a1';
import { evaluateSheets } from './errors';

/**
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/clear:
 * the values go, the rows stay (formatting too), so the row numbers of the rows below do not move.
 * The range is required: a sheet alone would clear all of it, which a flow should have to spell
 * out (`range: 'A:ZZZ'`).
 */
export const clearValues = defineConnector({
  application: googleSheets,
  name: 'clearValues',
  description: 'Empty the cells of a range (e.g. one row: range A7:F7, or 7:7); the rows stay where they are',
  input: z.object({ sheet: Target.sheet, range: Cells.describe('Cells to empty, in A1 notation without the sheet (A7:F7, 7:7)') }),
  output: z.looseObject({ spreadsheetId: z.string(), clearedRange: z.string().optional() }),
  request: (input) => ({ method: 'POST', path: `/values/${encodeURIComponent(targetOf(input))}:clear`, body: {} }),
  evaluate: evaluateSheets('google-sheets.clearValues'),
});
