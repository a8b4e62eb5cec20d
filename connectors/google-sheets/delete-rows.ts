import { z } from 'zod';
import { googleSheets } from './application';
import { defineConnector } from '../framework/connector';
import { evaluateSheets } from './errors';

/**
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/request#deletedimensionrequest,
 * sent through spreadsheets:batchUpdate. The rows below move up: a flow deleting several rows
 * deletes from the bottom up, or one range at once. Not idempotent: a retried delete whose answer
 * was lost deletes the rows that moved up. The sheet is named by its numeric sheetId
 * (getSpreadsheet lists them; it is the `gid` in the sheet's URL), as the API asks.
 */
export const deleteRows = defineConnector({
  application: googleSheets,
  name: 'deleteRows',
  description: 'Delete rows of a sheet; the rows below move up',
  input: z.object({
    sheetId: z.number().int().min(0).describe("The sheet's numeric id (getSpreadsheet: sheets[].properties.sheetId)"),
    startRow: z.number().int().min(1).describe('First row to delete (1 is the top row)'),
    rowCount: z.number().int().min(1).default(1),
  }),
  output: z.looseObject({ spreadsheetId: z.string(), replies: z.array(z.looseObject({})).default([]) }),
  request: ({ sheetId, startRow, rowCount }) => ({
    method: 'POST',
    path: ':batchUpdate',
    // GridRange indexes are zero-based and half open: rows startRow..startRow+rowCount-1 as the sheet numbers them.
    body: { requests: [{ deleteDimension: { range: { sheetId, dimension: 'ROWS', startIndex: startRow - 1, endIndex: startRow - 1 + rowCount } } }] },
  }),
  evaluate: evaluateSheets('google-sheets.deleteRows'),
});
