import { z } from 'zod';
import { googleSheets } from './application';
import { defineConnector } from '../framework/connector';
import { needsSheetOrRange, Target, targetOf } from './a1';
import { evaluateSheets } from './errors';
import { Rows, UpdateValuesResponse, ValueInputOption } from './schemas';

/** https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/update: writing the same values again changes nothing, so a retry is safe. */
export const updateValues = defineConnector({
  application: googleSheets,
  name: 'updateValues',
  description: 'Write rows of cells into a range (e.g. one row: range A7:F7)',
  input: z
    .object({
      ...Target,
      values: Rows.min(1).describe('Rows of cells, from the range\'s top-left cell; "" empties a cell, null leaves it as it is'),
      valueInputOption: ValueInputOption,
    })
    .superRefine(needsSheetOrRange),
  output: UpdateValuesResponse,
  request: (input) => {
    const range = targetOf(input);
    return { method: 'PUT', path: `/values/${encodeURIComponent(range)}`, query: { valueInputOption: input.valueInputOption }, body: { range, majorDimension: 'ROWS', values: input.values } };
  },
  evaluate: evaluateSheets('google-sheets.updateValues'),
});
