/**
 * The syncHubSpotContactsToSheet example flow end to end, in the engine's default flow registry:
 * a HubSpot channel (a private-app token) and a Google Sheets channel (a service account) created
 * through the API against the loopback HubSpot and Sheets; each sync is started by the sync-now
 * route and run by the engine's worker: contacts appended, a changed one rewritten in its row, a
 * deleted one's row removed, incrementally from the cursor, and nothing written twice.
 */
import { randomUUID } from 'node:crypto';
import { scheduleIdFor } from '../../workflows/framework/flow';
import { eventually, postJson, startTestSystem, type TestSystem } from '../support/system';
import { startFakeSheets, type FakeSheets } from './google-sheets/fake-sheets';
import { startFakeHubSpot, type FakeHubSpot } from './hubspot/fake-hubspot';

const SPREADSHEET = '1ContactsSheetForTheHubSpotSync00000000000';

let system: TestSystem;
let hubspot: FakeHubSpot;
let sheets: FakeSheets;
let hubspotChannelId: string;

beforeAll(async () => {
  [system, hubspot, sheets] = await Promise.all([startTestSystem(), startFakeHubSpot(), startFakeSheets()]);
  sheets.addSpreadsheet(SPREADSHEET, 'CRM contacts', [{ title: 'Notes' }, { title: 'Contacts', sheetId: 7 }]);
  const sheetsChannel = await postJson(`${system.apiUrl}/channels`, {
    application: 'google-sheets',
    name: `Contacts sheet ${randomUUID().slice(0, 4)}`,
    settings: { baseUrl: sheets.apiUrl, spreadsheetId: SPREADSHEET },
    credentials: { serviceAccountKey: JSON.stringify(sheets.oauth.serviceAccount.keyFile) },
  });
  expect(sheetsChannel.status).toBe(201);
  const hubspotChannel = await postJson(`${system.apiUrl}/channels`, {
    application: 'hubspot',
    name: `HubSpot ${randomUUID().slice(0, 4)}`,
    settings: { baseUrl: hubspot.url, sheetsChannelId: sheetsChannel.body.id, contactsSheet: 'Contacts' },
    credentials: { accessToken: hubspot.token },
  });
  expect(hubspotChannel.status).toBe(201);
  hubspotChannelId = hubspotChannel.body.id;
  // Enabling the channel ran the flow once at once (an empty HubSpot): let it end, so no sync-now below overlaps it.
  const schedule = system.client.schedule.getHandle(scheduleIdFor('syncHubSpotContactsToSheet', hubspotChannelId));
  const first = await eventually(async () => (await schedule.describe()).info.recentActions[0]?.action.workflow, 30_000, 'the first scheduled run');
  await system.client.workflow.getHandle(first.workflowId).result();
});
afterAll(async () => {
  await Promise.all([system?.stop(), hubspot?.close(), sheets?.close()]);
});
afterEach(() => {
  expect(hubspot.violations).toEqual([]);
  expect(sheets.violations).toEqual([]);
});

async function syncNow(): Promise<Record<string, unknown>> {
  const started = await postJson(`${system.apiUrl}/channels/${hubspotChannelId}/sync`, {});
  expect(started.status).toBe(202);
  const run = (started.body.workflows as Array<{ flow: string; workflowId: string }>).find((w) => w.flow === 'syncHubSpotContactsToSheet')!;
  return system.client.workflow
    .getHandle(run.workflowId)
    .result()
    .catch((err: { cause?: { message?: string; cause?: { message?: string } } }) => {
      throw new Error(`${run.workflowId} failed: ${err.cause?.message} / ${err.cause?.cause?.message}`);
    });
}

const rows = () => sheets.values(SPREADSHEET, 'Contacts');
const idsInSheet = () =>
  rows()
    .slice(1)
    .map((row) => String(row[0]));

function archive(id: string): void {
  const contact = hubspot.records.contacts.get(id)!;
  contact.archived = true;
  contact.archivedAt = new Date().toISOString();
}

describe('syncHubSpotContactsToSheet', () => {
  const seeded: string[] = [];

  it('writes the header and one row per contact on the first sync, oldest change first', async () => {
    for (const [i, name] of ['Ada', 'Grace', 'Edsger'].entries())
      seeded.push(hubspot.seed('contacts', { email: `${name.toLowerCase()}@example.com`, firstname: name, lastname: 'Test' }, { ageMs: (3 - i) * 60_000 }).id);
    expect(await syncNow()).toMatchObject({ appended: 3, updated: 0, removed: 0 });
    expect(rows()[0]).toEqual(['HubSpot id', 'email', 'firstname', 'lastname', 'company', 'phone', 'lastmodifieddate']);
    expect(idsInSheet()).toEqual(seeded);
    expect(rows()[1]).toEqual([seeded[0], 'ada@example.com', 'Ada', 'Test', '', '', expect.any(String)]);
  });

  it('rewrites a changed contact in its own row, appends a new one, and removes a deleted one', async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    hubspot.touch('contacts', seeded[1]!, { company: 'Navy' });
    const added = hubspot.seed('contacts', { email: 'barbara@example.com', firstname: 'Barbara', lastname: 'Test' }).id;
    archive(seeded[0]!);
    expect(await syncNow()).toMatchObject({ appended: 1, removed: 1 });
    expect(idsInSheet()).toEqual([seeded[1], seeded[2], added]);
    expect(rows().find((row) => row[0] === seeded[1])).toEqual([seeded[1], 'grace@example.com', 'Grace', 'Test', 'Navy', '', expect.any(String)]);
  });

  it('writes nothing twice: a sync with no changes leaves the sheet as it is, and a duplicate row left by a lost append is removed', async () => {
    const before = rows();
    const unchanged = await syncNow();
    expect(rows()).toEqual(before);
    expect(unchanged).toMatchObject({ appended: 0, removed: 0 });

    // As if an append had been retried after its answer was lost: the same contact twice.
    sheets.spreadsheets
      .get(SPREADSHEET)!
      .sheets.find((s) => s.title === 'Contacts')!
      .rows.push([...before[2]!]);
    hubspot.touch('contacts', seeded[2]!, { phone: '+1 555 0100' });
    await syncNow();
    expect(idsInSheet()).toEqual([seeded[1], seeded[2], before[3]![0]]);
    expect(rows().filter((row) => row[0] === seeded[2])).toEqual([[seeded[2], 'edsger@example.com', 'Edsger', 'Test', '', '+1 555 0100', expect.any(String)]]);
  });
});
