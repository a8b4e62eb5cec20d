/**
 * `npm run dryrun`: a connector against a loopback demo CRM and a fake that echoes credentials
 * (channels from the environment and from the store), and flows run once through a real worker
 * on the test's Temporal dev server, as the running system would run them.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { startDemoCrm, type DemoCrm } from '../../demo/crm-server';
import { openStore } from '../../store/open-store';
import { generateKey } from '../../store/credential-cipher';
import { flows } from '../../workflows/flows';
import { startLoopbackFake, type LoopbackFake } from '../../test/support/loopback-fake';
import { startTestSystem, type TestSystem } from '../../test/support/system';
import { main } from './cli';
import { dryrunFlow, type FlowDryrunDeps } from './flow';

const API_KEY = `crm-key-${randomUUID()}`;
let crm: DemoCrm;
let echo: LoopbackFake;
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'engine-dryrun-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  [crm, echo] = await Promise.all([startDemoCrm({ apiKey: API_KEY, contacts: 5 }), startLoopbackFake()]);
  // A service that quotes the credentials it was sent back in its error, as some do.
  echo.route('GET /api/contacts', ({ headers }) => ({ status: 403, body: { error: `key ${String(headers['x-api-key'])} is not allowed` } }));
});
afterAll(async () => {
  await Promise.all([crm?.close(), echo?.close()]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The environment of a shell with the demo CRM's default channel, and no system ever started (an empty data folder). */
function shell(baseUrl = crm.url, extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    DATA_DIR: tempDir(),
    EGRESS_ALLOW: process.env.EGRESS_ALLOW,
    CHANNEL_DEMO_CRM_SETTINGS: JSON.stringify({ baseUrl }),
    CHANNEL_DEMO_CRM_CREDENTIALS: JSON.stringify({ apiKey: API_KEY }),
    ...extra,
  };
}

async function dryrun(argv: string[], env = shell()): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(argv, env, (line) => lines.push(line));
  return { code, text: lines.join('\n') };
}

describe('npm run dryrun -- <app>.<connector>', () => {
  it('prints the request as sent, the API key masked, and the output the schema checked, with the next page', async () => {
    const { code, text } = await dryrun(['demo-crm.listContacts', '--input', '{"perPage":2}']);
    expect(code).toBe(0);
    expect(text).toContain('demoCrm.listContacts for channel demo-crm-default (from the environment');
    expect(text).toContain(`→ GET ${crm.url}/api/contacts?page=1&perPage=2`);
    expect(text).toContain('x-api-key: [redacted]');
    expect(text).toMatch(/← 200 \(\d+ ms\)/);
    expect(text).toContain(`"email": "${crm.contacts[0]!.email}"`);
    expect(text).toContain(`next page: --input '{"page":2,"perPage":2}'`);
    expect(text).not.toContain(API_KEY);
  });

  it('answers JSON with --json, takes the catalog key too, and shows a write with its body', async () => {
    const { code, text } = await dryrun(['demoCrm.addContactNote', '--input', JSON.stringify({ contactId: crm.contacts[1]!.id, text: 'from the shell' }), '--json']);
    expect(code).toBe(0);
    const run = JSON.parse(text);
    expect(run).toMatchObject({ connector: 'demoCrm.addContactNote', ok: true, output: { contactId: crm.contacts[1]!.id, text: 'from the shell' } });
    expect(run.requests).toEqual([expect.objectContaining({ method: 'POST', url: `${crm.url}/api/contacts/${crm.contacts[1]!.id}/notes`, status: 201, body: '{"text":"from the shell"}' })]);
    expect(run.requests[0].headers['x-api-key']).toBe('[redacted]');
    expect(crm.notes.at(-1)).toMatchObject({ text: 'from the shell' });
  });

  it('prints the typed error of a refused call, with the secret the service echoed masked', async () => {
    const { code, text } = await dryrun(['demo-crm.listContacts'], shell(echo.url));
    expect(code).toBe(1);
    expect(text).toContain('✗ NonRetryableConnectorError (non-retryable, reason HttpStatus403, HTTP 403): demo-crm.listContacts: HTTP 403');
    expect(text).toContain('key [redacted] is not allowed');
    expect(text).toContain('a flow would fail here, without retrying');
    expect(text).not.toContain(API_KEY);
    expect(echo.requests.at(-1)!.headers['x-api-key']).toBe(API_KEY); // it was sent, only not shown
  });

  it('refuses input its schema refuses before any request, naming the field', async () => {
    const before = crm.requests.length;
    const { code, text } = await dryrun(['demo-crm.listContacts', '--input', '{"perPage":0}']);
    expect(code).toBe(1);
    expect(text).toMatch(/reason InvalidInput\): demo-crm\.listContacts: invalid input: perPage/);
    expect(crm.requests.length).toBe(before);
  });

  it('refuses a destination the egress policy refuses, and says so', async () => {
    const { code, text } = await dryrun(['demo-crm.listContacts'], { ...shell('http://169.254.169.254'), EGRESS_ALLOW: '' });
    expect(code).toBe(1);
    expect(text).toMatch(/← no answer: .*refused by policy/);
    expect(text).toContain('reason EgressRefused');
  });

  it('finds a channel in the store the system uses', async () => {
    const dataDir = tempDir();
    const keys = generateKey('dryrun');
    const store = await openStore(dataDir, () => undefined, { CREDENTIALS_KEYS: keys });
    const stored = await store.channels.create({
      application: 'demo-crm',
      name: 'Shop CRM',
      settings: { baseUrl: crm.url },
      credentials: { apiKey: API_KEY },
      enabled: true,
      authStatus: 'configured',
    });
    await store.close();
    const { code, text } = await dryrun(['demo-crm.findContactByEmail', '--channel', stored.id, '--input', JSON.stringify({ email: crm.contacts[2]!.email })], {
      DATA_DIR: dataDir,
      CREDENTIALS_KEYS: keys,
      EGRESS_ALLOW: process.env.EGRESS_ALLOW,
    });
    expect(code).toBe(0);
    expect(text).toContain(`for channel ${stored.id} (from the store (${join(dataDir, 'engine.sqlite')}))`);
    expect(text).toContain(`"id": "${crm.contacts[2]!.id}"`);
  });

  it.each([
    [['demo-crm.nothing'], /demo-crm has no connector "nothing"; it has .*listContacts/],
    [['nowhere.listContacts'], /no application "nowhere"/],
    [['listContacts'], /name the connector as <app>\.<connector>/],
    [['demo-crm.listContacts', '--input', '{perPage: 2}'], /--input is not JSON/],
    [['demo-crm.listContacts', '--channel', 'ch_missing'], /no channel "ch_missing" in the environment \(and no store/],
    [['slack.postMessage'], /no channel "slack-default".*CHANNEL_SLACK_SETTINGS/],
    [['demo-crm.listContacts', '--frobnicate'], /Unknown option '--frobnicate'/],
  ])('says what is wrong with %j (exit 2)', async (argv, message) => {
    const { code, text } = await dryrun(argv);
    expect({ code, text }).toEqual({ code: 2, text: expect.stringMatching(message) });
  });

  it('runs from the shell as npm run dryrun', async () => {
    // Not spawnSync: the demo CRM answering it runs in this process.
    const child = spawn(process.execPath, [join(__dirname, '..', '..', 'scripts', 'dryrun.mjs'), 'demo-crm.listContacts', '--input', '{"perPage":1}'], { env: { ...process.env, ...shell() } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const status = await new Promise((resolve) => child.once('exit', resolve));
    expect({ status, output }).toMatchObject({ status: 0, output: expect.stringContaining('x-api-key: [redacted]') });
    expect(output).toContain('user-agent: temporal-integration-engine/');
    expect(output).not.toContain(API_KEY);
  });
});

describe('npm run dryrun -- flow <name>', () => {
  let system: TestSystem;
  let deps: FlowDryrunDeps;
  beforeAll(async () => {
    system = await startTestSystem({ contacts: 5 });
    deps = { client: system.client, namespace: 'default', taskQueue: system.settings.taskQueue, webUiUrl: 'http://127.0.0.1:8233', flows, channels: system.channels, timeoutMs: 60_000 };
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('runs a webhook flow once with the given body, through the worker, and links its run in the Web UI', async () => {
    const order = { orderId: `o-${randomUUID().slice(0, 8)}`, customerEmail: system.crm.contacts[0]!.email, total: 12.5, currency: 'EUR' };
    const run = await dryrunFlow(deps, 'orderPlaced', 'demo-crm-default', order);
    expect(run).toMatchObject({ status: 'completed', flow: 'orderPlaced', trigger: 'webhook demo-crm/orders', result: { contactId: system.crm.contacts[0]!.id, noteId: expect.any(String) } });
    expect(run.workflowId).toMatch(/^orderPlaced\/demo-crm-default\/dryrun-/);
    expect(run.webUiUrl).toBe(`http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(run.workflowId)}/${run.runId}/history`);
    expect(system.crm.notes.at(-1)!.text).toContain(order.orderId);
  });

  it('runs a polling flow as "sync now", and names the flow in kebab-case too', async () => {
    const run = await dryrunFlow(deps, 'sync-contacts-to-mailing-list', undefined, undefined);
    expect(run).toMatchObject({ status: 'completed', flow: 'syncContactsToMailingList', channelId: 'demo-crm-default', trigger: 'polling (sync now)', result: { pages: 1, copied: 5, removed: 0 } });
  });

  it('reports a run that fails with the failure the activity gave', async () => {
    const refused = await system.channels.create({
      application: 'demo-crm',
      name: 'wrong key',
      settings: { baseUrl: system.crm.url },
      credentials: { apiKey: 'not-the-key' },
      enabled: true,
      authStatus: 'configured',
    });
    const run = await dryrunFlow(deps, 'orderPlaced', refused.id, undefined);
    expect(run).toMatchObject({ status: 'failed', failure: expect.stringMatching(/HTTP 401/) });
  });

  it.each([
    ['a body the trigger refuses', ['orderPlaced', 'demo-crm-default', { orderId: 'o-1' }], /--input is not a body POST \/webhooks\/demo-crm\/orders takes: customerEmail/],
    ['an unknown flow', ['noSuchFlow', undefined, undefined], /no flow "noSuchFlow"; the flows are .*orderPlaced/],
    ['a channel not in the store', ['orderPlaced', 'ch_nowhere', undefined], /no channel "ch_nowhere" in the store the worker reads/],
    ["another application's channel", ['applyMailerChangeToCrm', 'demo-crm-default', undefined], /belongs to demo-crm; applyMailerChangeToCrm serves demo-mailer/],
  ])('refuses %s before starting anything', async (_what, [name, channel, input], message) => {
    await expect(dryrunFlow(deps, name as string, channel as string | undefined, input)).rejects.toThrow(message);
  });

  it('says so when no worker polls the task queue', async () => {
    await expect(dryrunFlow({ ...deps, taskQueue: `nobody-${randomUUID()}` }, 'orderPlaced', 'demo-crm-default', undefined)).rejects.toThrow(
      /no worker polls the task queue "nobody-.*is the system running \(npm start, or npm run dev\)\?/,
    );
  });

  it('says that the system must run when none runs from this folder', async () => {
    const { code, text } = await dryrun(['flow', 'orderPlaced'], { DATA_DIR: tempDir() });
    expect(code).toBe(2);
    expect(text).toContain('none runs from this folder: start it with `npm start` (or `npm run dev`)');
  });
});
