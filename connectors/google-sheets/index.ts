/** Google Sheets: a service account's JWT (or OAuth), one spreadsheet per channel, row-block pages, per-user quotas, Google's error statuses. */
import { defineIntegration } from '../framework/integration';
import { appendValues } from './append-values';
import { googleSheets } from './application';
import { batchUpdateValues } from './batch-update-values';
import { clearValues } from './clear-values';
import { deleteRows } from './delete-rows';
import { getSpreadsheet } from './get-spreadsheet';
import { getValues } from './get-values';
import { updateValues } from './update-values';

export { googleSheets };

export default defineIntegration(googleSheets, { getSpreadsheet, getValues, appendValues, updateValues, batchUpdateValues, clearValues, deleteRows });
