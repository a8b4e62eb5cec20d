import { z } from 'zod';
import { googleSheets } from './application';
import { defineConnector } from '../framework/connector';
import { needsSheetOrRange, Target, targetOf } from './a1';
import { evaluateSheets } from './errors';
import { Rows, UpdateValuesResponse, ValueInputOption } from './schemas';

/**
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/batchUpdate:
 * many ranges in one request, applied atomically, and one request against the write quota.
 */
export const batchUpdateValues = defineConnector({
  application: googleSheets,
  name: 'batchUpdateValues',
  description: 'Write several ranges at once (all or none), one request against the quota',
  input: z.object({
    data: z
      .array(z.object({ ...Target, values: Rows.min(1) }).superRefine(needsSheetOrRange))
      .min(1)
      .max(1000),
    valueInputOption: ValueInputOption,
  }),
  output: z.looseObject({
    spreadsheetId: z.string(),
    totalUpdatedRows: z.number().optional(),
    totalUpdatedColumns: z.number().optional(),
    totalUpdatedCells: z.number().optional(),
    totalUpdatedSheets: z.number().optional(),
    responses: z.array(UpdateValuesResponse).default([]),
  }),
  request: ({ data, valueInputOption }) => ({
    method: 'POST',
    path: '/values:batchUpdate',
    body: { valueInputOption, data: data.map((entry) => ({ range: targetOf(entry), majorDimension: 'ROWS', values: entry.values })) },
  }),
  evaluate: evaluateSheets('google-sheets.batchUpdateValues'),
});
