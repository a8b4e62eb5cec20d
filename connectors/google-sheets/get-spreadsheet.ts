import { z } from 'zod';
import { googleSheets } from './application';
import { defineConnector } from '../framework/connector';
import { evaluateSheets } from './errors';
import { Spreadsheet } from './schemas';

/** https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/get (without grid data: titles, ids and sizes of the sheets). */
export const getSpreadsheet = defineConnector({
  application: googleSheets,
  name: 'getSpreadsheet',
  description: "The channel's spreadsheet: its properties and its sheets' (sheetId, title, index, grid size)",
  input: z.object({}),
  output: Spreadsheet,
  request: () => ({ method: 'GET', path: '', query: { includeGridData: false } }),
  evaluate: evaluateSheets('google-sheets.getSpreadsheet'),
});
