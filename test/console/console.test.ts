/**
 * The console in a real browser (chromium through playwright-core) against the real system: sign
 * in, create a channel through its form (and see a field's error), connect an OAuth channel at
 * the loopback authorization server, sync now and see the run with its Web UI link, retry a
 * failed run, try an action. The README's screenshots are taken on the way.
 */
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startTestOAuthServer, type TestOAuthServer } from '../support/oauth-server';
import { DEMO_API_KEY, eventually, getJson, postJson, startTestSystem, TEST_ADMIN_KEY, authHeaders, type TestSystem } from '../support/system';

const WEB_UI = 'http://127.0.0.1:8233';
const SCREENSHOTS = join(__dirname, '..', '..', 'api', 'console', 'screenshots');

let system: TestSystem;
let oauth: TestOAuthServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [system, oauth, browser] = await Promise.all([startTestSystem({ webUiUrl: WEB_UI }), startTestOAuthServer(), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([system?.stop(), oauth?.stop()]);
});

/** Playwright's auto-waiting assertions live in @playwright/test; with playwright-core, wait for the state instead. */
const shown = (locator: Locator, timeout = 10_000) => locator.waitFor({ state: 'visible', timeout });
const textOf = async (locator: Locator, wanted: string, timeout = 10_000) => eventually(async () => ((await locator.textContent())?.includes(wanted) ? true : undefined), timeout, `"${wanted}" shown`);

/** The error list of the form field labelled `label`, present only while it has errors (the form names it `<field id>__error`, as the field's aria-describedby says). */
const fieldError = async (label: string) => page.locator(`[id="${await page.getByLabel(label).getAttribute('id')}__error"]`);

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

async function signIn(key = TEST_ADMIN_KEY): Promise<void> {
  await page.goto(`${system.apiUrl}/console`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Needs attention' }).waitFor();
}

async function demoCrmChannel(name: string, apiKey = DEMO_API_KEY): Promise<string> {
  const created = await postJson(`${system.apiUrl}/channels`, { application: 'demo-crm', name, settings: { baseUrl: system.crm.url }, credentials: { apiKey } });
  expect(created.status).toBe(201);
  return created.body.id;
}

describe('the console', () => {
  it('refuses a wrong key and signs in with a good one, never putting it in the URL', async () => {
    await page.goto(`${system.apiUrl}/console`);
    await page.getByLabel('API key').fill('eng_not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await signIn();
    expect(page.url()).not.toContain(TEST_ADMIN_KEY);
  });

  it('creates a channel through its form, showing a bad field on the field', async () => {
    await page.getByRole('link', { name: 'Channels' }).click();
    await page.getByRole('link', { name: 'New channel' }).click();
    await page.getByLabel('Application').selectOption('demo-crm');
    await page.getByLabel('Name', { exact: false }).first().fill('Console CRM');
    await page.getByLabel('baseUrl').fill('not a url');
    await page.getByLabel('apiKey').fill(DEMO_API_KEY);
    expect(await page.getByLabel('apiKey').getAttribute('type')).toBe('password');
    await page.getByRole('button', { name: 'Create channel' }).click();
    await shown(await fieldError('baseUrl'));
    await page.getByLabel('baseUrl').fill(system.crm.url);
    await page.getByRole('button', { name: 'Create channel' }).click();
    await page.getByRole('heading', { name: 'Console CRM' }).waitFor();
    const channels = (await getJson(`${system.apiUrl}/channels`)).body as Array<{ name: string; credentials: Record<string, string> }>;
    expect(channels.find((channel) => channel.name === 'Console CRM')).toMatchObject({ credentials: { apiKey: '********' } });
  });

  it('syncs now: the run appears with its Web UI link', async () => {
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByText('Sync started').waitFor();
    const runs = page.getByRole('table', { name: 'runs' });
    await shown(runs.getByRole('cell', { name: 'syncContactsToMailingList' }).first(), 20_000);
    expect(await runs.getByRole('link', { name: 'Web UI' }).first().getAttribute('href')).toMatch(new RegExp(`^${WEB_UI}/namespaces/default/workflows/`));
    await shown(runs.getByText('completed').first(), 30_000);
    await shot('channel');
  });

  it('shows a running sync’s progress live, from its progress query', async () => {
    const id = await demoCrmChannel('Slow CRM');
    // A slow change feed and a few pages of it (500 a page): after its first page is written the
    // run stays running for two more slow reads, longer than the console's 1 s progress poll.
    system.crm.addContacts(1_200);
    system.crm.slowDown(/^\/api\/contacts\/changes$/, 1_500);
    try {
      await page.goto(`${system.apiUrl}/console/channels/${id}`);
      await page.getByRole('button', { name: 'Sync now' }).click();
      const progress = page.getByRole('table', { name: 'runs' }).getByLabel('Progress of syncContactsToMailingList').first();
      await shown(progress, 20_000);
      // Counts that grow while the run is still running, without a reload.
      await eventually(async () => (/[1-9]\d* copied/.test((await progress.textContent()) ?? '') ? true : undefined), 30_000, 'records copied so far shown');
      expect(await progress.textContent()).toMatch(/\d+ pages · \d+ copied · \d+ removed · cursor \S+/);
      await page.getByRole('table', { name: 'runs' }).screenshot({ path: join(SCREENSHOTS, 'progress.png') });
    } finally {
      system.crm.slowDown(/^\/api\/contacts\/changes$/, 0);
    }
    await shown(page.getByRole('table', { name: 'runs' }).getByText('completed').first(), 60_000);
  });

  it('shows an error only the server finds on the field it names', async () => {
    await page.goto(`${system.apiUrl}/console/channels/new`);
    await page.getByLabel('Application').selectOption('demo-helpdesk');
    await page.getByLabel('Name', { exact: false }).first().fill('Elsewhere helpdesk');
    // A valid URL by the schema, but outside the helpdesk's allowed hosts: only the API knows.
    await page.getByLabel('baseUrl').fill('https://attacker.example.org/api');
    await page.getByLabel('authServerUrl').fill(oauth.issuer);
    await page.getByLabel('clientId').fill('helpdesk-client');
    await page.getByLabel('clientSecret').fill('helpdesk-client-secret');
    await page.getByRole('button', { name: 'Create channel' }).click();
    await textOf(await fieldError('baseUrl'), 'attacker.example.org');
    expect(await (await fieldError('authServerUrl')).count()).toBe(0);
    expect(((await getJson(`${system.apiUrl}/channels`)).body as Array<{ name: string }>).some((channel) => channel.name === 'Elsewhere helpdesk')).toBe(false);
  });

  it('imports an OpenAPI document from a file and lists its warnings and unsupported parts', async () => {
    await page.goto(`${system.apiUrl}/console/applications/import`);
    await page.getByLabel('Name (kebab-case', { exact: false }).fill('console-encodings');
    await page.getByLabel('From a file', { exact: false }).setInputFiles(join(__dirname, '..', 'data', 'openapi', 'encodings-3.1.yaml'));
    await textOf(page.getByLabel('Or paste it'), 'openapi:');
    await page.getByRole('button', { name: 'Import' }).click();
    await shown(page.getByRole('heading', { name: 'Imported' }), 20_000);
    await shown(page.getByRole('heading', { name: 'Warnings (1)' }));
    await shown(page.getByText('paths./codes.get.parameters.1.schema.pattern'));
    await shown(page.getByRole('heading', { name: 'Unsupported (1)' }));
    await shown(page.getByText('paths./xml.post.requestBody'));
    await page.getByRole('link', { name: /^console-encodings/ }).click();
    await shown(page.getByRole('heading', { name: 'Encodings (v1, imported)' }));
    await shown(page.getByRole('heading', { name: /^Actions \([1-9]/ }));
  });

  it('retries a failed run once its cause is fixed', async () => {
    const id = await demoCrmChannel('Wrong key CRM', 'wrong-key');
    const started = await postJson(`${system.apiUrl}/channels/${id}/sync`, {});
    expect(started.status).toBe(202);
    await eventually(async () => ((await getJson(`${system.apiUrl}/channels/${id}/runs`)).body as Array<{ status: string }>).find((run) => run.status === 'FAILED'), 60_000, 'a failed sync');
    const fixed = await fetch(`${system.apiUrl}/channels/${id}`, {
      method: 'PATCH',
      headers: { ...authHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify({ credentials: { apiKey: DEMO_API_KEY } }),
    });
    expect(fixed.status).toBe(200);
    await page.goto(`${system.apiUrl}/console/channels/${id}`);
    const runs = page.getByRole('table', { name: 'runs' });
    await shown(runs.getByText('failed').first());
    await runs
      .getByRole('button', { name: /^Retry / })
      .first()
      .click();
    await shown(runs.getByText('completed').first(), 30_000);
  });

  it('says on the home page what needs attention: failed runs and a disabled channel’s paused schedules', async () => {
    const id = await demoCrmChannel('Paused CRM');
    await page.goto(`${system.apiUrl}/console/channels/${id}`);
    await page.getByRole('button', { name: 'Disable' }).click();
    await shown(page.getByRole('button', { name: 'Enable' }));
    await page.getByRole('link', { name: 'Home' }).click();
    const paused = page.getByRole('region', { name: /^Paused schedules/ });
    await shown(paused.getByRole('link', { name: 'Paused CRM' }));
    // The wrong-key channel's first sync failed before it was retried.
    await shown(
      page
        .getByRole('region', { name: /^Failed runs in the last day/ })
        .getByText('Wrong key CRM')
        .first(),
    );
    await shot('home');
  });

  it('connects an OAuth channel through the provider’s consent', async () => {
    const created = await postJson(`${system.apiUrl}/channels`, {
      application: 'demo-helpdesk',
      name: 'Console helpdesk',
      settings: { baseUrl: oauth.resourceUrl, authServerUrl: oauth.issuer },
      credentials: { clientId: 'helpdesk-client', clientSecret: 'helpdesk-client-secret' },
    });
    expect(created.status).toBe(201);
    await page.goto(`${system.apiUrl}/console/channels/${created.body.id}`);
    await shown(page.getByText('authorization required'));
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    // Consent at the provider, then the callback sends this browser back to the channel's page.
    await page.waitForURL(`${system.apiUrl}/console/channels/${created.body.id}?connected=${created.body.id}`, { timeout: 20_000 });
    await shown(page.getByText('Connected: the account authorized this channel.'));
    expect((await getJson(`${system.apiUrl}/channels/${created.body.id}`)).body.authStatus).toBe('authorized');
    await shown(page.getByText('authorized', { exact: true }));
    await page.getByRole('button', { name: 'Copy connect link' }).click();
    await shown(page.getByLabel('Connect link'));
    expect(await page.getByLabel('Connect link').inputValue()).toMatch(new RegExp(`^${system.apiUrl}/oauth/connect/`));
  });

  it('tries an action and shows its output', async () => {
    await page.getByRole('link', { name: 'Try an action' }).click();
    await page.getByLabel('Channel').selectOption({ label: 'Console CRM (demo-crm)' });
    await page.getByLabel('Action', { exact: true }).selectOption('listContacts');
    await page.getByRole('button', { name: 'Run action' }).click();
    await shown(page.getByLabel('Action output'), 20_000);
    await textOf(page.getByLabel('Action output'), 'email');
    await shot('try-action');
  });

  it('lists channels and runs, sortable and searchable, on a wide and a phone-sized screen', async () => {
    await page.getByRole('link', { name: 'Channels' }).click();
    const table = page.getByRole('table', { name: 'channels' });
    await shown(table.getByRole('link', { name: 'Console CRM' }));
    await page.getByLabel('Search channels').fill('helpdesk');
    expect(await table.getByRole('link', { name: 'Console CRM' }).count()).toBe(0);
    await page.getByLabel('Search channels').fill('');
    await shot('channels');
    await page.getByRole('link', { name: 'Runs' }).click();
    await page.getByLabel('Status').selectOption('failed');
    await shown(page.getByRole('table', { name: 'runs' }).getByText('failed').first());
    await shot('runs');
    await page.setViewportSize({ width: 390, height: 800 });
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Channels' }).click();
    await shown(page.getByRole('link', { name: 'Console CRM' }));
    await shot('phone-channels');
  });

  it('offers a read-only key no change', async () => {
    const created = await postJson(`${system.apiUrl}/api-keys`, { name: 'viewer', scopes: ['read'] });
    expect(created.status).toBe(201);
    const viewer = await browser.newPage();
    page = viewer;
    await signIn(created.body.key);
    await page.getByRole('link', { name: 'Channels' }).click();
    await shown(page.getByRole('link', { name: 'Console CRM' }));
    expect(await page.getByRole('link', { name: 'New channel' }).count()).toBe(0);
    // The sync buttons depend on /flows: once it is read, their absence is the scope's doing, not a page still loading.
    const flowsRead = page.waitForResponse((response) => new URL(response.url()).pathname === '/flows');
    await page.getByRole('link', { name: 'Console CRM' }).click();
    await page.getByRole('heading', { name: 'Console CRM' }).waitFor();
    await flowsRead;
    await shown(page.getByRole('table', { name: 'runs' }));
    expect(await page.getByRole('button', { name: 'Sync now' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
  });
});
