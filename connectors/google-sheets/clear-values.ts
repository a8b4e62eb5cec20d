import { z } from 'zod';
import { googleSheets } from './application';
import { defineConnector } from '../framework/connector';
import { needsSheetOrRange, Target, targetOf } from './a1';
import { evaluateSheets } from './errors';

/**
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/clear:
 * the values go, the rows stay (formatting too), so the row numbers of the rows below do not move.
 */
export const clearValues = defineConnector({
  application: googleSheets,
  name: 'clearValues',
  description: 'Empty the cells of a range (e.g. one row: range A7:F7, or 7:7); the rows stay where they are',
  input: z.object({ ...Target }).superRefine(needsSheetOrRange),
  output: z.looseObject({ spreadsheetId: z.string(), clearedRange: z.string().optional() }),
  request: (input) => ({ method: 'POST', path: `/values/${encodeURIComponent(targetOf(input))}:clear`, body: {} }),
  evaluate: evaluateSheets('google-sheets.clearValues'),
});
