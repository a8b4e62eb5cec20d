/**
 * The google-sheets connectors against the loopback Sheets (fake-sheets.ts), whose every request
 * is checked against Google's generated client: the service account's token (RS256 JWT bearer
 * grant, minted once), A1 ranges with awkward sheet titles, row-block pages to the end of the
 * data and of the grid, append/update/batch update/clear/delete as Google applies them, and
 * Google's errors typed by their status.
 */
import googleSheetsIntegration from '../../../connectors/google-sheets';
import { GoogleSheetsCredentials } from '../../../connectors/google-sheets/application';
import { parseServiceAccountKey, tokenUriRefusal } from '../../../connectors/google-sheets/service-account';
import { NonRetryableConnectorError, RateLimitedConnectorError, RetryableConnectorError, type ConnectorError } from '../../../connectors/framework/errors';
import type { ConnectorOutput } from '../../../connectors/framework/connector';
import { executeConnector, executeConnectorPage, type ChannelConfig } from '../../../connectors/framework/execute';
import { googleError, startFakeSheets, type Cell, type FakeSheets } from './fake-sheets';

const { connectors } = googleSheetsIntegration;
const ID = '1qpyC0XzvTcKT6EISywvqESX3A0MwQoFDE8p-Bll4hps';
let fake: FakeSheets;

beforeAll(async () => {
  fake = await startFakeSheets();
  fake.addSpreadsheet(ID, 'Engine tests', [
    { title: 'Orders', rows: [['Order', 'Customer', 'Total']] },
    { title: "Ada's contacts: Q1/Q2!", sheetId: 42, rows: [['id', 'email', 'name']] },
    { title: 'Keys', sheetId: 7, rows: Array.from({ length: 2500 }, (_, i) => [`k${i + 1}`]) },
    { title: 'Full', sheetId: 8, rowCount: 2000, rows: Array.from({ length: 2000 }, (_, i) => [i + 1]) },
  ]);
});
afterAll(async () => {
  await fake?.close();
});
afterEach(() => {
  // A request Google's client would not send fails the test that sent it.
  expect(fake.violations).toEqual([]);
  fake.violations.length = 0;
});

const keyText = () => JSON.stringify(fake.oauth.serviceAccount.keyFile);
const channel = (id = 'gs-connectors', credentials: Record<string, unknown> = { serviceAccountKey: keyText() }): ChannelConfig => ({
  id,
  settings: { baseUrl: fake.apiUrl, spreadsheetId: ID },
  credentials,
});
type Connectors = typeof connectors;
const run = <N extends keyof Connectors>(name: N, input: unknown, on: ChannelConfig = channel()) => executeConnector(connectors[name], on, input) as Promise<ConnectorOutput<Connectors[N]>>;
const failing = (name: keyof typeof connectors, input: unknown, on: ChannelConfig = channel()) =>
  run(name, input, on).then(
    () => Promise.reject(new Error('expected a failure')),
    (err: ConnectorError) => err,
  );

describe('the service account', () => {
  it('mints one token by the JWT bearer grant (RS256, the key id, iss/scope/aud/iat/exp) and reuses it for every call', async () => {
    const before = fake.oauth.grants.jwtBearer;
    const on = channel('gs-token-once');
    const spreadsheet = await run('getSpreadsheet', {}, on);
    await run('getValues', { sheet: 'Orders' }, on);
    await Promise.all([run('getValues', { sheet: 'Orders', columns: 'A' }, on), run('getSpreadsheet', {}, on)]);
    expect(spreadsheet.sheets.map((s) => s.properties.title)).toEqual(['Orders', "Ada's contacts: Q1/Q2!", 'Keys', 'Full']);
    expect(fake.oauth.grants.jwtBearer).toBe(before + 1);

    const { header, claims } = fake.oauth.assertions.at(-1)!;
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT', kid: fake.oauth.serviceAccount.privateKeyId });
    expect(claims).toEqual({ iss: fake.oauth.serviceAccount.email, scope: 'https://www.googleapis.com/auth/spreadsheets', aud: `${fake.url}/token`, iat: expect.any(Number), exp: expect.any(Number) });
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
    const tokens = new Set(fake.requests.slice(-4).map((r) => r.headers.authorization));
    expect(tokens.size).toBe(1);
    expect([...tokens][0]).toMatch(/^Bearer ya29\./);
  });

  it('is refused by the token endpoint when signed by another key under the same account and key id', async () => {
    const other = fake.oauth.makeServiceAccount(fake.oauth.serviceAccount.email);
    const forged = { ...fake.oauth.serviceAccount.keyFile, private_key: other.keyFile.private_key };
    const error = await failing('getSpreadsheet', {}, channel('gs-forged', { serviceAccountKey: JSON.stringify(forged) }));
    expect(error).toMatchObject({ reason: 'ServiceAccountTokenRefused', status: 400 });
    expect(error.message).toContain('Invalid JWT Signature.');
  });

  it("refuses a key whose token_uri is not Google's: the signed assertion would go to whoever runs it", async () => {
    const before = fake.oauth.grants.jwtBearer;
    for (const tokenUri of [
      'https://evil.example.com/token',
      'https://oauth2.googleapis.com.evil.example/token',
      'http://oauth2.googleapis.com/token',
      'https://oauth2.googleapis.com:8443/token',
      'https://user:pw@oauth2.googleapis.com/token',
      'file:///etc/passwd',
    ]) {
      const key = { ...fake.oauth.serviceAccount.keyFile, token_uri: tokenUri };
      expect(tokenUriRefusal(tokenUri)).toEqual(expect.any(String));
      const parsed = GoogleSheetsCredentials.safeParse({ serviceAccountKey: JSON.stringify(key) });
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues).toEqual([expect.objectContaining({ path: ['serviceAccountKey'], message: expect.stringContaining('token_uri') })]);
      // And if one got stored anyway, the call refuses it before anything is signed or sent.
      const error = await failing('getSpreadsheet', {}, channel(`gs-evil-${tokenUri.length}`, { serviceAccountKey: JSON.stringify(key) }));
      expect(error).toBeInstanceOf(NonRetryableConnectorError);
      expect(error.reason).toBe('InvalidChannelConfig');
      expect(error.message).toContain('token_uri');
      expect(error.message).not.toContain('PRIVATE KEY');
    }
    expect(fake.oauth.grants.jwtBearer).toBe(before);
    for (const google of ['https://oauth2.googleapis.com/token', 'https://accounts.google.com/o/oauth2/token']) expect(tokenUriRefusal(google)).toBeUndefined();
  });

  it('refuses key files that are not one, naming what is wrong and never echoing the key', () => {
    const key = fake.oauth.serviceAccount.keyFile;
    const cases: Array<[string, string]> = [
      ['not json at all', 'not JSON'],
      [JSON.stringify({ ...key, type: 'authorized_user' }), 'type'],
      [JSON.stringify({ ...key, client_email: 'nobody' }), 'client_email'],
      [JSON.stringify({ ...key, private_key: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n' }), 'private_key'],
    ];
    for (const [text, field] of cases) {
      const parsed = parseServiceAccountKey(text);
      expect('error' in parsed && parsed.error).toContain(field);
      expect(JSON.stringify(parsed)).not.toContain('MII');
    }
    expect(GoogleSheetsCredentials.safeParse({}).error!.issues).toEqual([expect.objectContaining({ path: ['serviceAccountKey'] })]);
    expect(GoogleSheetsCredentials.safeParse({ serviceAccountKey: JSON.stringify(key), clientId: 'x' }).error!.issues).toEqual([expect.objectContaining({ path: ['serviceAccountKey'] })]);
    expect(GoogleSheetsCredentials.safeParse({ clientId: 'x.apps.googleusercontent.com' }).error!.issues).toEqual([expect.objectContaining({ path: ['clientSecret'] })]);
  });

  it("fails for good when Google refuses the assertion (an account it does not know), with Google's words and no secret", async () => {
    const stranger = fake.oauth.makeServiceAccount('stranger@elsewhere.iam.gserviceaccount.com');
    const error = await failing('getSpreadsheet', {}, channel('gs-stranger', { serviceAccountKey: JSON.stringify(stranger.keyFile) }));
    expect(error).toBeInstanceOf(NonRetryableConnectorError);
    expect(error.reason).toBe('ServiceAccountTokenRefused');
    expect(error.message).toContain('invalid_grant (Invalid grant: account not found)');
    expect(error.message).not.toMatch(/PRIVATE KEY|eyJ/);
  });
});

describe('reading: row blocks, page after page', () => {
  it('reads a key column in blocks until a short one, each page knowing its first row', async () => {
    const pages: Array<{ startRow: number; values: Cell[][] }> = [];
    let page = await executeConnectorPage(connectors.getValues, channel(), { sheet: 'Keys', columns: 'a', rowCount: 1000 }, undefined);
    pages.push(page.output as (typeof pages)[number]);
    while (page.next) {
      page = await executeConnectorPage(connectors.getValues, channel(), undefined, page.next);
      pages.push(page.output as (typeof pages)[number]);
    }
    expect(pages.map((p) => [p.startRow, p.values.length])).toEqual([
      [1, 1000],
      [1001, 1000],
      [2001, 500],
    ]);
    expect(pages[2]!.values.at(-1)).toEqual(['k2500']);
    const ranges = fake.requests.filter((r) => r.methodId === 'spreadsheets.values.get').slice(-3);
    expect(ranges.map((r) => decodeURIComponent(r.path.split('/values/')[1]!))).toEqual(["'Keys'!A1:A1000", "'Keys'!A1001:A2000", "'Keys'!A2001:A3000"]);
    expect(Object.fromEntries(ranges[0]!.query)).toEqual({ majorDimension: 'ROWS', valueRenderOption: 'FORMATTED_VALUE', dateTimeRenderOption: 'SERIAL_NUMBER' });
  });

  it('ends at the bottom of a full grid: the block below it, which Google refuses, is the empty last page', async () => {
    let page = await executeConnectorPage(connectors.getValues, channel(), { sheet: 'Full', columns: 'A', rowCount: 1000, valueRenderOption: 'UNFORMATTED_VALUE' }, undefined);
    const sizes = [(page.output as { values: Cell[][] }).values.length];
    while (page.next) {
      page = await executeConnectorPage(connectors.getValues, channel(), undefined, page.next);
      sizes.push((page.output as { values: Cell[][] }).values.length);
    }
    expect(sizes).toEqual([1000, 1000, 0]);
    expect(page.output).toMatchObject({ startRow: 2001, values: [] });
    // A block that starts inside the grid is still Google's error when Google refuses it.
    const error = await failing('getValues', { sheet: 'Nowhere', rowCount: 10 });
    expect(error).toMatchObject({ reason: 'GoogleInvalidArgument', status: 400 });
    expect(error.message).toContain('Unable to parse range');
  });

  it('reads whole rows of the first visible sheet without a sheet name', async () => {
    const out = await run('getValues', { rowCount: 5 });
    expect(out).toMatchObject({ range: 'Orders!A1:Z5', startRow: 1, values: [['Order', 'Customer', 'Total']] });
    expect(decodeURIComponent(fake.requests.at(-1)!.path.split('/values/')[1]!)).toBe('1:5');
  });
});

describe('writing', () => {
  it('appends rows after the table (INSERT_ROWS, USER_ENTERED), moving what is below down', async () => {
    const sheet = fake.spreadsheets.get(ID)!.sheets.find((s) => s.title === 'Orders')!;
    sheet.rows[9] = ['notes below the table'];
    const appended = await run('appendValues', { sheet: 'Orders', range: 'A:C', values: [['#1001', 'ada@example.com', '25.50']] });
    expect(appended).toEqual({ spreadsheetId: ID, tableRange: 'Orders!A1:C1', updates: { spreadsheetId: ID, updatedRange: 'Orders!A2:C2', updatedRows: 1, updatedColumns: 3, updatedCells: 3 } });
    await run('appendValues', { sheet: 'Orders', values: [['#1002', 'grace@example.com', 30]] });
    expect(fake.values(ID, 'Orders').slice(0, 3)).toEqual([
      ['Order', 'Customer', 'Total'],
      ['#1001', 'ada@example.com', 25.5],
      ['#1002', 'grace@example.com', 30],
    ]);
    expect(fake.values(ID, 'Orders')[11]).toEqual(['notes below the table']);
    const sent = fake.requests.filter((r) => r.methodId === 'spreadsheets.values.append').at(-2)!;
    expect(decodeURIComponent(sent.path)).toBe(`/v4/spreadsheets/${ID}/values/'Orders'!A:C:append`);
    expect(Object.fromEntries(sent.query)).toEqual({ valueInputOption: 'USER_ENTERED', insertDataOption: 'INSERT_ROWS' });
    expect(sent.body).toEqual({ range: "'Orders'!A:C", majorDimension: 'ROWS', values: [['#1001', 'ada@example.com', '25.50']] });
  });

  it("updates, batch-updates and clears rows of a sheet whose title has a quote, a colon, a slash and a '!'", async () => {
    const sheet = "Ada's contacts: Q1/Q2!";
    const updated = await run('updateValues', { sheet, range: 'A2:C2', values: [['c1', 'ada@example.com', 'Ada']], valueInputOption: 'RAW' });
    expect(updated).toMatchObject({ updatedRange: "'Ada''s contacts: Q1/Q2!'!A2:C2", updatedCells: 3 });
    const batch = await run('batchUpdateValues', {
      data: [
        { sheet, range: 'A3:C3', values: [['c2', 'grace@example.com', 'Grace']] },
        { sheet, range: 'A4:C4', values: [['c3', 'alan@example.com', 'Alan']] },
        { sheet, range: 'C2', values: [['Ada Lovelace']] },
      ],
    });
    expect(batch).toMatchObject({ totalUpdatedRows: 3, totalUpdatedCells: 7, totalUpdatedSheets: 1 });
    const cleared = await run('clearValues', { sheet, range: '3:3' });
    expect(cleared).toEqual({ spreadsheetId: ID, clearedRange: "'Ada''s contacts: Q1/Q2!'!A3:Z3" });
    expect(fake.values(ID, sheet)).toEqual([['id', 'email', 'name'], ['c1', 'ada@example.com', 'Ada Lovelace'], [], ['c3', 'alan@example.com', 'Alan']]);
    // Writing past the range's own end is Google's error, not a silent spill.
    const spill = await failing('updateValues', { sheet, range: 'A5:B5', values: [['a', 'b', 'c']] });
    expect(spill).toMatchObject({ reason: 'GoogleInvalidArgument' });
    expect(spill.message).toContain('tried writing to column [C]');
  });

  it('deletes rows by the sheetId getSpreadsheet names (1-based rows), the rows below moving up', async () => {
    const spreadsheet = await run('getSpreadsheet', {});
    const sheetId = spreadsheet.sheets.find((s) => s.properties.title === "Ada's contacts: Q1/Q2!")!.properties.sheetId;
    expect(sheetId).toBe(42);
    const deleted = await run('deleteRows', { sheetId, startRow: 3 });
    expect(deleted).toEqual({ spreadsheetId: ID, replies: [{}] });
    expect(fake.requests.at(-1)!.body).toEqual({ requests: [{ deleteDimension: { range: { sheetId: 42, dimension: 'ROWS', startIndex: 2, endIndex: 3 } } }] });
    expect(fake.values(ID, "Ada's contacts: Q1/Q2!")).toEqual([
      ['id', 'email', 'name'],
      ['c1', 'ada@example.com', 'Ada Lovelace'],
      ['c3', 'alan@example.com', 'Alan'],
    ]);
    const nowhere = await failing('deleteRows', { sheetId: 999, startRow: 2 });
    expect(nowhere.message).toContain('No grid with id: 999');
  });

  it('refuses bad input before any request, naming the field', async () => {
    const count = fake.requests.length;
    for (const [name, input, field] of [
      ['appendValues', { values: [['x']] }, 'sheet'],
      ['updateValues', { sheet: 'Orders', range: 'A1:B2!', values: [['x']] }, 'range'],
      ['getValues', { columns: 'A1' }, 'columns'],
      ['clearValues', { sheet: 'Orders' }, 'range'],
      ['updateValues', { sheet: 'Orders', range: 'A', values: [['x']] }, 'range'],
      ['getValues', { rowCount: 0 }, 'rowCount'],
      ['deleteRows', { sheetId: 1, startRow: 0 }, 'startRow'],
      ['appendValues', { sheet: 'Orders', values: [[{ nested: true }]] }, 'values'],
    ] as const) {
      const error = await failing(name, input);
      expect(error).toMatchObject({ reason: 'InvalidInput' });
      expect(error.message).toContain(field);
    }
    expect(fake.requests.length).toBe(count);
  });
});

describe("Google's errors, typed by status", () => {
  it('INVALID_ARGUMENT, PERMISSION_DENIED and NOT_FOUND are final', async () => {
    const notShared = fake.addSpreadsheet('1NotSharedWithTheServiceAccount000000000000', 'Private', [{ title: 'Sheet1' }]);
    notShared.sharedWith.clear();
    const denied = await failing('getSpreadsheet', {}, { ...channel(), settings: { baseUrl: fake.apiUrl, spreadsheetId: notShared.spreadsheetId } });
    expect(denied).toBeInstanceOf(NonRetryableConnectorError);
    expect(denied).toMatchObject({ reason: 'GooglePermissionDenied', status: 403 });
    expect(denied.message).toBe('google-sheets.getSpreadsheet: HTTP 403 PERMISSION_DENIED: The caller does not have permission');
    const missing = await failing('getSpreadsheet', {}, { ...channel(), settings: { baseUrl: fake.apiUrl, spreadsheetId: 'no-such-spreadsheet' } });
    expect(missing).toMatchObject({ reason: 'GoogleNotFound', status: 404 });
    const bad = await failing('clearValues', { sheet: 'Not a sheet', range: 'A1:B2' });
    expect(bad).toBeInstanceOf(NonRetryableConnectorError);
    expect(bad).toMatchObject({ reason: 'GoogleInvalidArgument' });
  });

  it('RESOURCE_EXHAUSTED (the per-user read quota) is retried with backoff; with Retry-After it waits as told', async () => {
    fake.quota.readsPerMinute = 0;
    try {
      const error = await failing('getValues', { sheet: 'Orders' });
      expect(error).toBeInstanceOf(RetryableConnectorError);
      expect(error).toMatchObject({ reason: 'GoogleResourceExhausted', status: 429 });
      expect(error.message).toContain("HTTP 429 RESOURCE_EXHAUSTED (RATE_LIMIT_EXCEEDED): Quota exceeded for quota metric 'Read requests'");
    } finally {
      fake.quota.readsPerMinute = 60;
    }
    fake.failNext(1, { ...googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded.'), headers: { 'retry-after': '7' } });
    const waiting = await failing('getValues', { sheet: 'Orders' });
    expect(waiting).toBeInstanceOf(RateLimitedConnectorError);
    expect((waiting as RateLimitedConnectorError).retryAfterMs).toBe(7000);
  });

  it.each([
    ['UNAVAILABLE (503)', googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.'), RetryableConnectorError, 'GoogleUnavailable'],
    ['INTERNAL (500)', googleError(500, 'INTERNAL', 'Internal error encountered.'), RetryableConnectorError, 'GoogleInternal'],
    ['UNAUTHENTICATED (401)', googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'), NonRetryableConnectorError, 'GoogleUnauthenticated'],
    ['FAILED_PRECONDITION (400)', googleError(400, 'FAILED_PRECONDITION', 'This operation is not supported for this document.'), NonRetryableConnectorError, 'GoogleFailedPrecondition'],
    ["a 502 without Google's body", { status: 502, body: '<html>Bad Gateway</html>' }, RetryableConnectorError, 'HttpStatus502'],
  ])('%s', async (_name, answer, kind, reason) => {
    fake.failNext(1, answer);
    const error = await failing('getSpreadsheet', {});
    expect(error).toBeInstanceOf(kind);
    expect(error).toMatchObject({ reason, status: answer.status });
  });
});

describe("the engine's requests, as Google's client defines its methods", () => {
  it('sends each connector as one method of Google Sheets v4 (path, HTTP method, parameters and body checked by the fake)', async () => {
    const inputs: Record<keyof typeof connectors, unknown> = {
      getSpreadsheet: {},
      getValues: { sheet: 'Orders', columns: 'A:C', rowCount: 10 },
      appendValues: { sheet: 'Orders', values: [['#2001', 'alan@example.com', 12]] },
      updateValues: { sheet: 'Orders', range: 'A2:C2', values: [['#2000', 'ada@example.com', 11]] },
      batchUpdateValues: { data: [{ sheet: 'Orders', range: 'D1', values: [['Note']] }] },
      clearValues: { sheet: 'Orders', range: 'D1' },
      deleteRows: { sheetId: 0, startRow: 3 },
    };
    const sent: Record<string, string | undefined> = {};
    for (const [name, input] of Object.entries(inputs)) {
      await run(name as keyof typeof connectors, input);
      sent[name] = fake.requests.at(-1)!.methodId;
    }
    expect(sent).toEqual({
      getSpreadsheet: 'spreadsheets.get',
      getValues: 'spreadsheets.values.get',
      appendValues: 'spreadsheets.values.append',
      updateValues: 'spreadsheets.values.update',
      batchUpdateValues: 'spreadsheets.values.batchUpdate',
      clearValues: 'spreadsheets.values.clear',
      deleteRows: 'spreadsheets.batchUpdate',
    });
    expect(Object.keys(inputs).sort()).toEqual(Object.keys(connectors).sort());
  });
});
