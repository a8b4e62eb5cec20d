import { z } from 'zod';
import { googleSheets } from './application';
import { defineConnector } from '../framework/connector';
import { needsSheetOrRange, Target, targetOf } from './a1';
import { evaluateSheets } from './errors';
import { Rows, UpdateValuesResponse, ValueInputOption } from './schemas';

/**
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/append:
 * Google looks for the table in the range and writes after its last row, from its first column.
 * Sheets has no idempotency keys: an append whose answer was lost is appended again when the call
 * is retried. A flow that must write a record once reads its key column first (getValues) and
 * updates the row it finds instead.
 */
export const appendValues = defineConnector({
  application: googleSheets,
  name: 'appendValues',
  description: 'Append rows after the table found in a sheet or range',
  input: z
    .object({
      ...Target,
      values: Rows.min(1).describe('Rows of cells (string, number, boolean; null leaves a cell as it is)'),
      valueInputOption: ValueInputOption,
      insertDataOption: z.enum(['INSERT_ROWS', 'OVERWRITE']).default('INSERT_ROWS').describe('INSERT_ROWS inserts new rows for the data; OVERWRITE writes over the cells below the table'),
    })
    .superRefine(needsSheetOrRange),
  output: z.looseObject({ spreadsheetId: z.string(), tableRange: z.string().optional(), updates: UpdateValuesResponse }),
  request: (input) => {
    const range = targetOf(input);
    return {
      method: 'POST',
      path: `/values/${encodeURIComponent(range)}:append`,
      query: { valueInputOption: input.valueInputOption, insertDataOption: input.insertDataOption },
      body: { range, majorDimension: 'ROWS', values: input.values },
    };
  },
  evaluate: evaluateSheets('google-sheets.appendValues'),
});
