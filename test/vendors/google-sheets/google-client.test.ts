/**
 * The fake checked with Google's own client: @googleapis/sheets calls every method the
 * google-sheets application uses, authenticated by google-auth-library's JWT client (the service
 * account flow Google ships, signing with gtoken and jws) against the fake's token endpoint. If the
 * fake answered in shapes Google's libraries do not expect, or refused what they send, this fails;
 * so the fake the connectors are tested against speaks as Google does.
 */
import { auth, sheets_v4 } from '@googleapis/sheets';
import { startFakeSheets, type FakeSheets } from './fake-sheets';
import { GOOGLE_TOKEN_AUDIENCE } from './fake-google-oauth';
import { sheetsMaterial } from './sheets-material';

const ID = '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms';
let fake: FakeSheets;
let client: sheets_v4.Sheets;
let jwt: InstanceType<typeof auth.JWT>;

beforeAll(async () => {
  fake = await startFakeSheets();
  fake.addSpreadsheet(ID, 'Orders 2026', [
    {
      title: 'Orders',
      rows: [
        ['Order', 'Customer', 'Total'],
        ['#1001', 'ada@example.com', 25],
      ],
    },
    { title: "Ada's contacts", sheetId: 77 },
  ]);
  const key = fake.oauth.serviceAccount.keyFile;
  jwt = new auth.JWT({ email: key.client_email, key: key.private_key, keyId: key.private_key_id, scopes: ['https://www.googleapis.com/auth/spreadsheets'] });
  jwt.transporter.interceptors.request.add({
    resolved: async (options) => {
      // gtoken posts to https://oauth2.googleapis.com/token whatever the key says: sent to the fake instead.
      if (options.url.href === GOOGLE_TOKEN_AUDIENCE) options.url = new URL(`${fake.url}/token`);
      // Node's own fetch: gaxios would import node-fetch (ESM) otherwise, which jest's CommonJS cannot.
      options.fetchImplementation = fetch;
      return options;
    },
  });
  client = new sheets_v4.Sheets({ auth: jwt, rootUrl: `${fake.url}/` });
});
afterAll(async () => {
  await fake?.close();
});
afterEach(() => {
  expect(fake.violations).toEqual([]);
});

it("reads the methods from Google's generated client", () => {
  const ids = sheetsMaterial().methods.map((m) => m.id);
  expect(ids).toEqual(
    expect.arrayContaining([
      'spreadsheets.get',
      'spreadsheets.batchUpdate',
      'spreadsheets.values.get',
      'spreadsheets.values.append',
      'spreadsheets.values.update',
      'spreadsheets.values.batchUpdate',
      'spreadsheets.values.clear',
    ]),
  );
  const append = sheetsMaterial().methods.find((m) => m.id === 'spreadsheets.values.append')!;
  expect(append).toMatchObject({ httpMethod: 'POST', path: '/v4/spreadsheets/{spreadsheetId}/values/{range}:append', requestBody: 'Schema$ValueRange', response: 'Schema$AppendValuesResponse' });
  expect([...append.query.keys()]).toEqual(expect.arrayContaining(['valueInputOption', 'insertDataOption', 'includeValuesInResponse']));
});

it("mints a token with Google's own JWT client, whose assertion the fake verifies", async () => {
  const { token } = await jwt.getAccessToken();
  expect(token).toMatch(/^ya29\./);
  expect(fake.oauth.assertions.at(-1)!.claims).toMatchObject({ iss: fake.oauth.serviceAccount.email, aud: GOOGLE_TOKEN_AUDIENCE, scope: 'https://www.googleapis.com/auth/spreadsheets' });
});

it('answers every method the application uses in the shapes the client types', async () => {
  const spreadsheet = await client.spreadsheets.get({ spreadsheetId: ID });
  expect(spreadsheet.data.sheets!.map((s) => [s.properties!.sheetId, s.properties!.title, s.properties!.gridProperties!.rowCount])).toEqual([
    [0, 'Orders', 1000],
    [77, "Ada's contacts", 1000],
  ]);

  const appended = await client.spreadsheets.values.append({
    spreadsheetId: ID,
    range: 'Orders!A:C',
    valueInputOption: 'USER_ENTERED',
    insertDataOption: 'INSERT_ROWS',
    requestBody: { values: [['#1002', 'grace@example.com', '30.5']] },
  });
  expect(appended.data).toEqual({
    spreadsheetId: ID,
    tableRange: 'Orders!A1:C2',
    updates: { spreadsheetId: ID, updatedRange: 'Orders!A3:C3', updatedRows: 1, updatedColumns: 3, updatedCells: 3 },
  });

  const read = await client.spreadsheets.values.get({ spreadsheetId: ID, range: 'Orders!A2:C', valueRenderOption: 'UNFORMATTED_VALUE' });
  expect(read.data).toEqual({
    range: 'Orders!A2:C1001',
    majorDimension: 'ROWS',
    values: [
      ['#1001', 'ada@example.com', 25],
      ['#1002', 'grace@example.com', 30.5],
    ],
  });

  const updated = await client.spreadsheets.values.update({ spreadsheetId: ID, range: "'Ada''s contacts'!A1:B1", valueInputOption: 'RAW', requestBody: { values: [['id', 'email']] } });
  expect(updated.data).toMatchObject({ updatedRange: "'Ada''s contacts'!A1:B1", updatedCells: 2 });

  const batch = await client.spreadsheets.values.batchUpdate({
    spreadsheetId: ID,
    requestBody: {
      valueInputOption: 'USER_ENTERED',
      data: [
        { range: "'Ada''s contacts'!A2:B2", values: [['1', 'ada@example.com']] },
        { range: "'Ada''s contacts'!A3:B3", values: [['2', 'grace@example.com']] },
      ],
    },
  });
  expect(batch.data).toMatchObject({
    totalUpdatedRows: 2,
    totalUpdatedCells: 4,
    totalUpdatedSheets: 1,
    responses: [{ updatedRange: "'Ada''s contacts'!A2:B2" }, { updatedRange: "'Ada''s contacts'!A3:B3" }],
  });

  const cleared = await client.spreadsheets.values.clear({ spreadsheetId: ID, range: "'Ada''s contacts'!A2:B2", requestBody: {} });
  expect(cleared.data).toEqual({ spreadsheetId: ID, clearedRange: "'Ada''s contacts'!A2:B2" });

  const deleted = await client.spreadsheets.batchUpdate({
    spreadsheetId: ID,
    requestBody: { requests: [{ deleteDimension: { range: { sheetId: 77, dimension: 'ROWS', startIndex: 1, endIndex: 2 } } }] },
  });
  expect(deleted.data).toEqual({ spreadsheetId: ID, replies: [{}] });
  expect(fake.values(ID, "Ada's contacts")).toEqual([
    ['id', 'email'],
    [2, 'grace@example.com'],
  ]);
  expect(new Set(fake.requests.map((r) => r.methodId))).toEqual(
    new Set([
      'spreadsheets.get',
      'spreadsheets.values.append',
      'spreadsheets.values.get',
      'spreadsheets.values.update',
      'spreadsheets.values.batchUpdate',
      'spreadsheets.values.clear',
      'spreadsheets.batchUpdate',
    ]),
  );
});

/** What the client's GaxiosError carries of Google's answer. */
interface ClientError {
  status: number;
  response: { data: { error: { code: number; message: string; status: string } } };
}
const failure = (call: Promise<unknown>) =>
  call.then(
    () => Promise.reject(new Error('expected a failure')),
    (err: unknown) => err as ClientError,
  );

it("fails as Google does, and the client reads the error as Google's", async () => {
  const error = await failure(client.spreadsheets.values.get({ spreadsheetId: ID, range: 'Nowhere!A1:B2' }));
  expect(error.constructor.name).toBe('GaxiosError');
  expect(error.status).toBe(400);
  expect(error.response.data).toEqual({ error: { code: 400, message: 'Unable to parse range: Nowhere!A1:B2', status: 'INVALID_ARGUMENT' } });
  const below = await failure(client.spreadsheets.values.get({ spreadsheetId: ID, range: 'Orders!A5000:C6000' }));
  expect(below.response.data.error.message).toBe('Range (Orders!A5000:C6000) exceeds grid limits. Max rows: 1001, max columns: 26');
  const missing = await failure(client.spreadsheets.get({ spreadsheetId: 'no-such-spreadsheet' }));
  expect(missing.response.data).toEqual({ error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } });
});
