/**
 * The Sheets API v4 objects the connectors send and hand on, in Google's shapes
 * (https://developers.google.com/workspace/sheets/api/reference/rest, the `Schema$…` types of
 * @googleapis/sheets). Google sends more fields; zod keeps the loose objects' extra fields.
 */
import { z } from 'zod';

/** A cell as the API writes it: "supported value types are: bool, string, and double. Null values will be skipped." */
export const CellValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const Rows = z.array(z.array(CellValue));

export const ValueInputOption = z.enum(['RAW', 'USER_ENTERED']).default('USER_ENTERED').describe('RAW stores the values as given; USER_ENTERED parses them as if typed (numbers, dates, formulas)');
export const ValueRenderOption = z.enum(['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA']).default('FORMATTED_VALUE');
export const DateTimeRenderOption = z.enum(['SERIAL_NUMBER', 'FORMATTED_STRING']).default('SERIAL_NUMBER');
export const MajorDimension = z.enum(['ROWS', 'COLUMNS']).default('ROWS');

/** ValueRange: `values` is left out when the range is empty; trailing empty rows and cells are never sent. */
export const ValueRange = z.looseObject({
  range: z.string(),
  majorDimension: z.enum(['ROWS', 'COLUMNS']).default('ROWS'),
  values: z.array(z.array(z.union([z.string(), z.number(), z.boolean()]))).default([]),
});

/** UpdateValuesResponse: what a write changed. */
export const UpdateValuesResponse = z.looseObject({
  spreadsheetId: z.string(),
  updatedRange: z.string().optional(),
  updatedRows: z.number().optional(),
  updatedColumns: z.number().optional(),
  updatedCells: z.number().optional(),
  updatedData: ValueRange.optional(),
});

export const SheetProperties = z.looseObject({
  sheetId: z.number(),
  title: z.string(),
  index: z.number(),
  sheetType: z.string().optional(),
  hidden: z.boolean().optional(),
  gridProperties: z.looseObject({ rowCount: z.number().optional(), columnCount: z.number().optional(), frozenRowCount: z.number().optional() }).optional(),
});

export const Spreadsheet = z.looseObject({
  spreadsheetId: z.string(),
  spreadsheetUrl: z.string().optional(),
  properties: z.looseObject({ title: z.string(), locale: z.string().optional(), timeZone: z.string().optional() }),
  sheets: z.array(z.looseObject({ properties: SheetProperties })).default([]),
});
