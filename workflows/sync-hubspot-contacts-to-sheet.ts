/**
 * Polling flow: HubSpot's contacts kept in a Google Sheet, one row each, deletions included. Each
 * run reads the contacts changed since the last one (lastmodifieddate) and those deleted since,
 * page by page; column A holds the contact id, so a changed contact's row is rewritten in place,
 * a new one appended, and a deleted one's row removed. Each page reads the key column first, so a
 * page repeated after a crash finds what it wrote before: nothing is written twice (a row an
 * unanswered append left twice is removed). The HubSpot channel's settings name the sheet's
 * channel (`sheetsChannelId`) and tab (`contactsSheet`).
 */
import type { googleSheets } from '../connectors/google-sheets/application';
import type { hubspot } from '../connectors/hubspot/application';
import { settingsOf } from './framework/channel-settings';
import { useConnectors } from './framework/connectors';
import { pollingSync, syncProgressQueryOf, type PollingSyncInput, type SyncProgress } from './framework/polling-sync';
import { hubspotContactChanges, type ContactChange } from './sources/hubspot-contact-changes';

export interface SheetCounts {
  appended: number;
  updated: number;
  removed: number;
}

export const contactsSheetProgressQuery = syncProgressQueryOf<SheetCounts>();

/** The columns, in order: the id is the key. */
const PROPERTIES = ['email', 'firstname', 'lastname', 'company', 'phone', 'lastmodifieddate'] as const;
export const CONTACT_SHEET_HEADER = ['HubSpot id', ...PROPERTIES];

export async function syncHubSpotContactsToSheet(input: PollingSyncInput<SheetCounts>): Promise<SyncProgress<SheetCounts>> {
  const { sheetsChannelId, contactsSheet } = await settingsOf<typeof hubspot>(input.channelId);
  // A HubSpot channel used only by other flows (the Stripe one) names no sheet: nothing to do.
  if (!sheetsChannelId) return { pages: 0, appended: 0, updated: 0, removed: 0, cursor: null };
  const sheet = contactsSheet ?? (await settingsOf<typeof googleSheets>(sheetsChannelId)).sheet;
  const sheets = useConnectors().googleSheets;
  // A delete retried after its answer was lost would delete the rows that moved up: never retried
  // here. A failed one fails the run before the cursor moves, and the next run recomputes from the sheet.
  const deletes = useConnectors({ retry: { maximumAttempts: 1 } }).googleSheets;

  return pollingSync(input, {
    source: hubspotContactChanges(input.channelId, PROPERTIES),
    counts: { appended: 0, updated: 0, removed: 0 },
    async eachPage(changes) {
      if (changes.length === 0) return { appended: 0, updated: 0, removed: 0 };
      const rowsOf = await keyColumn(sheetsChannelId, sheet);
      const changed = latestById(changes.filter((c) => c.kind === 'changed').map((c) => c.contact));
      const deleted = new Set(changes.filter((c) => c.kind === 'deleted').map((c) => c.id));
      const existing = changed.filter((contact) => rowsOf.has(contact.id) && !deleted.has(contact.id));
      const added = changed.filter((contact) => !rowsOf.has(contact.id) && !deleted.has(contact.id));

      if (existing.length)
        await sheets.batchUpdateValues(sheetsChannelId, { data: existing.map((c) => ({ sheet, range: rowRange(rowsOf.get(c.id)![0]!), values: [rowOf(c)] })), valueInputOption: 'RAW' });
      // An empty sheet gets the header first.
      if (added.length) await sheets.appendValues(sheetsChannelId, { sheet, values: [...(rowsOf.size ? [] : [CONTACT_SHEET_HEADER]), ...added.map(rowOf)], valueInputOption: 'RAW' });
      // Deleted contacts' rows, and any second row of one contact, bottom up: rows below a deleted one move up.
      const doomed = [...rowsOf].flatMap(([id, rows]) => (deleted.has(id) ? rows : rows.slice(1)));
      if (doomed.length) {
        const sheetId = await sheetIdOf(sheetsChannelId, sheet);
        for (const run of runsBottomUp(doomed)) await deletes.deleteRows(sheetsChannelId, { sheetId, ...run });
      }
      return { appended: added.length, updated: existing.length, removed: [...deleted].filter((id) => rowsOf.has(id)).length };
    },
  });

  /** Contact id → the rows holding it (normally one), from column A. */
  async function keyColumn(channelId: string, tab: string | undefined): Promise<Map<string, number[]>> {
    const rows = new Map<string, number[]>();
    for await (const block of sheets.getValues.pages(channelId, { sheet: tab, columns: 'A' })) {
      block.output.values.forEach(([id], i) => {
        if (id !== undefined && id !== '') rows.set(String(id), [...(rows.get(String(id)) ?? []), block.output.startRow + i]);
      });
    }
    return rows;
  }

  async function sheetIdOf(channelId: string, tab: string | undefined): Promise<number> {
    const { sheets: tabs } = await sheets.getSpreadsheet(channelId, {});
    const found = tab === undefined ? tabs.find((t) => !t.properties.hidden) : tabs.find((t) => t.properties.title === tab);
    if (!found) throw new Error(`no sheet "${tab}" in the spreadsheet of channel ${channelId}`);
    return found.properties.sheetId;
  }
}

/** `A5:G5`: the whole row of one contact (a range must hold every cell written). */
const LAST_COLUMN = String.fromCharCode('A'.charCodeAt(0) + CONTACT_SHEET_HEADER.length - 1);
const rowRange = (row: number): string => `A${row}:${LAST_COLUMN}${row}`;

type Contact = Extract<ContactChange, { kind: 'changed' }>['contact'];

function rowOf(contact: Contact): string[] {
  return [contact.id, ...PROPERTIES.map((property) => contact.properties[property] ?? '')];
}

/** Rows as runs of neighbours, the bottom run first: `[9, 3, 4, 8]` → rows 8–9, then 3–4. */
function runsBottomUp(rows: number[]): Array<{ startRow: number; rowCount: number }> {
  const runs: Array<{ startRow: number; rowCount: number }> = [];
  for (const row of [...new Set(rows)].sort((a, b) => b - a)) {
    const last = runs.at(-1);
    if (last && last.startRow === row + 1) runs[runs.length - 1] = { startRow: row, rowCount: last.rowCount + 1 };
    else runs.push({ startRow: row, rowCount: 1 });
  }
  return runs;
}

/** A page can hold one contact twice (changed again while the search paged): its last version wins. */
function latestById(contacts: Contact[]): Contact[] {
  return [...new Map(contacts.map((contact) => [contact.id, contact])).values()];
}
