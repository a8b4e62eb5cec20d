/**
 * The google-sheets application through the real system: channels created through the API (a
 * service account's key; an OAuth client connected through Google's web flow), actions run
 * through Temporal against the loopback Sheets (every request checked against Google's generated
 * client), the service account's token minted once for every run, and settings or keys that
 * would send credentials off Google's hosts refused with 400 naming the field.
 */
import { randomUUID } from 'node:crypto';
import { connectChannel } from '../../support/browser';
import { getJson, postJson, startTestSystem, type TestSystem, actionRunner } from '../../support/system';
import { startFakeSheets, type FakeSheets } from './fake-sheets';

const ID = '1Sd0mR4oDqVjJ0Z6k6b2f8F3gN1uKqW9xYhT5cLpE7aQ';
let system: TestSystem;
let fake: FakeSheets;
let channelId: string;

const settings = () => ({ baseUrl: fake.apiUrl, spreadsheetId: ID, sheet: 'Orders', authorizationUrl: `${fake.url}/o/oauth2/v2/auth`, tokenUrl: `${fake.url}/token` });
const createChannel = (body: { settings?: Record<string, unknown>; credentials: Record<string, unknown> }) =>
  postJson(`${system.apiUrl}/channels`, { application: 'google-sheets', name: `Sheets ${randomUUID().slice(0, 4)}`, settings: body.settings ?? settings(), credentials: body.credentials });
const run = actionRunner(
  () => system,
  'google-sheets',
  () => channelId,
);

beforeAll(async () => {
  [system, fake] = await Promise.all([startTestSystem(), startFakeSheets()]);
  fake.addSpreadsheet(ID, 'Shop orders', [
    { title: 'Orders', rows: [['Order', 'Customer', 'Total']] },
    { title: 'Contacts', sheetId: 5 },
  ]);
  const created = await createChannel({ credentials: { serviceAccountKey: JSON.stringify(fake.oauth.serviceAccount.keyFile) } });
  expect(created.status).toBe(201);
  channelId = created.body.id;
});
afterAll(async () => {
  await Promise.all([system?.stop(), fake?.close()]);
});
afterEach(() => {
  expect(fake.violations).toEqual([]);
  fake.violations.length = 0;
});

describe('the google-sheets application through the API', () => {
  it('is listed with its two ways in and its actions', async () => {
    const apps = (await getJson(`${system.apiUrl}/applications`)).body as Array<{ name: string }>;
    expect(apps.find((a) => a.name === 'google-sheets')).toMatchObject({ title: 'Google Sheets', auth: { kind: 'one-of', methods: [{ kind: 'bearer' }, { kind: 'oauth2-authorization-code' }] } });
    const detail = (await getJson(`${system.apiUrl}/applications/google-sheets`)).body as { actions: Array<{ name: string }>; credentialsSchema: { properties: Record<string, { format?: string }> } };
    expect(detail.actions.map((a) => a.name).sort()).toEqual(['appendValues', 'batchUpdateValues', 'clearValues', 'deleteRows', 'getSpreadsheet', 'getValues', 'updateValues']);
    expect(detail.credentialsSchema.properties.serviceAccountKey).toMatchObject({ format: 'password', writeOnly: true });
    const channel = (await getJson(`${system.apiUrl}/channels/${channelId}`)).body;
    expect(channel).toMatchObject({ authStatus: 'configured', credentials: { serviceAccountKey: '********' } });
    expect(JSON.stringify(channel)).not.toContain('PRIVATE KEY');
  });

  it('runs actions through Temporal with one service-account token for all of them', async () => {
    const mints = fake.oauth.grants.jwtBearer;
    const appended = await run('appendValues', { sheet: 'Orders', values: [['#1001', 'ada@example.com', 25]] });
    expect(appended.status).toBe(200);
    expect(appended.body.output).toMatchObject({ tableRange: 'Orders!A1:C1', updates: { updatedRange: 'Orders!A2:C2', updatedRows: 1 } });
    const read = await run('getValues', { sheet: 'Orders', columns: 'A:C' });
    expect(read.body.output).toMatchObject({
      startRow: 1,
      values: [
        ['Order', 'Customer', 'Total'],
        ['#1001', 'ada@example.com', '25'],
      ],
    });
    expect((await run('updateValues', { sheet: 'Orders', range: 'C2', values: [[26]] })).body.output).toMatchObject({ updatedCells: 1 });
    const spreadsheet = (await run('getSpreadsheet', {})).body.output;
    expect(spreadsheet.sheets.map((s: { properties: { sheetId: number } }) => s.properties.sheetId)).toEqual([0, 5]);
    expect((await run('deleteRows', { sheetId: 0, startRow: 2 })).body.output).toEqual({ spreadsheetId: ID, replies: [{}] });
    expect(fake.values(ID, 'Orders')).toEqual([['Order', 'Customer', 'Total']]);
    expect(fake.oauth.grants.jwtBearer).toBe(mints + 1);
    // The key and the token stay out of the API's answers and the worker's log.
    const token = String(fake.requests.at(-1)!.headers.authorization).replace('Bearer ', '');
    for (const text of [JSON.stringify([appended.body, read.body]), system.logLines.join('\n')]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain('PRIVATE KEY');
    }
  });

  it("fails a run on Google's INVALID_ARGUMENT at once, typed, with Google's message", async () => {
    const before = fake.requests.length;
    const res = await run('getValues', { sheet: 'No such sheet' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body).toMatchObject({ type: 'GoogleInvalidArgument' });
    expect(JSON.stringify(res.body)).toContain("Unable to parse range: 'No such sheet'!1:1000");
    expect(fake.requests.length - before).toBe(1);
  });

  it("refuses settings and keys that would send credentials off Google's hosts, naming the field", async () => {
    const key = fake.oauth.serviceAccount.keyFile;
    const cases: Array<[Record<string, unknown>, Record<string, unknown>, string]> = [
      [{ ...settings(), baseUrl: 'https://sheets.example.com/v4' }, { serviceAccountKey: JSON.stringify(key) }, 'settings.baseUrl'],
      [{ ...settings(), tokenUrl: 'https://tokens.example.com/token' }, { serviceAccountKey: JSON.stringify(key) }, 'settings.tokenUrl'],
      [{ ...settings(), authorizationUrl: 'http://accounts.google.com/o/oauth2/v2/auth' }, { serviceAccountKey: JSON.stringify(key) }, 'settings.authorizationUrl'],
      [{ ...settings(), spreadsheetId: '../../drive/v3/files' }, { serviceAccountKey: JSON.stringify(key) }, 'settings.spreadsheetId'],
      [settings(), { serviceAccountKey: JSON.stringify({ ...key, token_uri: 'https://attacker.example.com/token' }) }, 'credentials.serviceAccountKey'],
      [settings(), { serviceAccountKey: 'not a key file' }, 'credentials.serviceAccountKey'],
    ];
    for (const [s, credentials, field] of cases) {
      const res = await createChannel({ settings: s, credentials });
      expect(res.status).toBe(400);
      expect(res.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(JSON.stringify(res.body)).not.toContain('PRIVATE KEY');
    }
  });
});

describe('the google-sheets application as an OAuth client', () => {
  it("connects through Google's web flow asking for offline access and consent, then calls with the token and renews it with the refresh token", async () => {
    const { clientId, clientSecret } = fake.oauth.oauthClient;
    const created = await createChannel({ credentials: { clientId, clientSecret } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ authStatus: 'authorization-required', credentials: { clientId: '********', clientSecret: '********' } });
    expect((await run('getSpreadsheet', {}, created.body.id)).body).toMatchObject({ type: 'AuthorizationRequired' });

    const refreshTokens = fake.oauth.refreshTokensIssued;
    expect(await connectChannel(system, created.body.id)).toMatchObject({ status: 200, body: { authStatus: 'authorized' } });
    expect(Object.fromEntries(fake.oauth.authorizations.at(-1)!)).toMatchObject({
      access_type: 'offline',
      prompt: 'consent',
      scope: 'https://www.googleapis.com/auth/spreadsheets',
      response_type: 'code',
      code_challenge_method: 'S256',
    });
    expect(fake.oauth.refreshTokensIssued).toBe(refreshTokens + 1);
    const got = await run('getSpreadsheet', {}, created.body.id);
    expect(got.body.output).toMatchObject({ spreadsheetId: ID, properties: { title: 'Shop orders' } });

    // Google revokes or expires the access token early: the 401 is answered by one refresh.
    for (const token of fake.oauth.tokens.values()) if (token.principal === fake.oauth.oauthClient.user) token.expiresAt = 0;
    const refreshes = fake.oauth.grants.refreshToken;
    const again = await run('getValues', { sheet: 'Orders', columns: 'A' }, created.body.id);
    expect(again.body.output).toMatchObject({ values: [['Order']] });
    expect(fake.oauth.grants.refreshToken).toBe(refreshes + 1);

    // A second channel of the same Google account gets its own refresh token: consent is asked again.
    const second = await createChannel({ credentials: { clientId, clientSecret } });
    expect(await connectChannel(system, second.body.id)).toMatchObject({ status: 200, body: { authStatus: 'authorized' } });
    expect(fake.oauth.refreshTokensIssued).toBe(refreshTokens + 2);
  });
});
