/**
 * Channels through the real API on a real Temporal: many configured instances of one application,
 * each with its own credentials, schedules, webhook URL and run history; secrets kept secret.
 */
import { orderPlacedExample } from '../workflows/order-placed.schema';
import { authHeaders, DEMO_API_KEY, eventually, postJson, startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
const logs: string[] = [];
const originalWrite = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

beforeAll(async () => {
  // Every line the API, the worker and the SDK write while the tests run, to look for secrets.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => (logs.push(String(chunk)), originalWrite.out(chunk, ...rest))) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => (logs.push(String(chunk)), originalWrite.err(chunk, ...rest))) as typeof process.stderr.write;
  system = await startTestSystem({ contacts: 30 });
});
afterAll(async () => {
  await system?.stop();
  process.stdout.write = originalWrite.out;
  process.stderr.write = originalWrite.err;
});

async function send(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; text: string }> {
  const res = await fetch(`${system.apiUrl}${path}`, {
    method,
    headers: body === undefined ? authHeaders() : { ...authHeaders(), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
}
const responses: string[] = [];
async function api(method: string, path: string, body?: unknown) {
  const res = await send(method, path, body);
  responses.push(res.text);
  return res;
}

const crmChannel = (name: string, apiKey = DEMO_API_KEY) => ({ application: 'demo-crm', name, settings: { baseUrl: system.crm.url }, credentials: { apiKey } });

describe('GET /applications', () => {
  it('lists each application with its auth kind and both forms as JSON Schema, secrets marked', async () => {
    const { status, body } = await api('GET', '/applications');
    expect(status).toBe(200);
    const crm = body.find((a: { name: string }) => a.name === 'demo-crm');
    expect(crm).toMatchObject({ title: 'Demo CRM', auth: { kind: 'api-key' } });
    expect(crm.settingsSchema).toMatchObject({ type: 'object', required: ['baseUrl'], properties: { baseUrl: { type: 'string', format: 'uri' } } });
    expect(crm.credentialsSchema.properties.apiKey).toMatchObject({ type: 'string', format: 'password', writeOnly: true });
  });
});

describe('channel lifecycle', () => {
  it('creates a channel (201, credentials masked) with its polling schedule, which syncs at once', async () => {
    const created = await api('POST', '/channels', crmChannel('Customer A'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^ch_/),
      application: 'demo-crm',
      name: 'Customer A',
      settings: { baseUrl: system.crm.url },
      credentials: { apiKey: '********' },
      enabled: true,
      authStatus: 'configured',
    });
    expect(created.body.webhooks).toEqual([
      { flow: 'orderPlaced', url: `/webhooks/demo-crm/orders/${created.body.id}` },
      { flow: 'ticketLifecycle', url: `/webhooks/demo-crm/ticket-events/${created.body.id}` },
    ]);
    const schedule = await system.client.schedule.getHandle(`syncContactsToMailingList/${created.body.id}`).describe();
    expect(schedule.state.paused).toBe(false);
    // The immediate first run is listed among the channel's runs, from Temporal's visibility.
    const runs = await eventually(
      async () => {
        const res = await api('GET', `/channels/${created.body.id}/runs`);
        return res.body.some((r: { status: string }) => r.status === 'COMPLETED') ? res.body : undefined;
      },
      30_000,
      'a completed scheduled run',
    );
    expect(runs[0]).toMatchObject({
      workflowId: expect.stringMatching(new RegExp(`^syncContactsToMailingList/${created.body.id}/scheduled-`)),
      flow: 'syncContactsToMailingList',
      status: 'COMPLETED',
      startTime: expect.any(String),
      closeTime: expect.any(String),
    });
  });

  it('answers 400 naming the field for bad input, and creates nothing', async () => {
    const before = (await api('GET', '/channels')).body.length;
    const cases: Array<[unknown, string]> = [
      [{ ...crmChannel('x'), application: 'nope' }, 'application'],
      [{ ...crmChannel('x'), settings: { baseUrl: 'not a url' } }, 'settings.baseUrl'],
      [{ ...crmChannel('x'), credentials: {} }, 'credentials.apiKey'],
      [{ ...crmChannel(''), name: '' }, 'name'],
      [{ ...crmChannel('x'), surprise: 1 }, '(body)'],
    ];
    for (const [body, field] of cases) {
      const res = await api('POST', '/channels', body);
      expect(res.status).toBe(400);
      expect(res.body.issues.map((i: { field: string }) => i.field)).toContain(field);
    }
    expect((await api('GET', '/channels')).body.length).toBe(before);
  });

  it('disables (pauses its schedule), re-enables (resumes), renames and deletes a channel', async () => {
    const { body: channel } = await api('POST', '/channels', { ...crmChannel('Customer B'), enabled: false });
    const handle = system.client.schedule.getHandle(`syncContactsToMailingList/${channel.id}`);
    expect((await handle.describe()).state.paused).toBe(true);

    const enabled = await api('PATCH', `/channels/${channel.id}`, { enabled: true, name: 'Customer B (EU)' });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ enabled: true, name: 'Customer B (EU)' });
    expect((await handle.describe()).state.paused).toBe(false);

    expect((await api('PATCH', `/channels/${channel.id}`, { enabled: false })).status).toBe(200);
    expect((await handle.describe()).state.paused).toBe(true);
    expect((await api('GET', `/channels/${channel.id}`)).body).toMatchObject({ enabled: false });

    expect((await api('PATCH', `/channels/${channel.id}`, { settings: { baseUrl: 'nope' } })).status).toBe(400);
    expect((await api('DELETE', `/channels/${channel.id}`)).status).toBe(204);
    await expect(handle.describe()).rejects.toThrow(/not found/i);
    expect((await api('GET', `/channels/${channel.id}`)).status).toBe(404);
    expect((await api('DELETE', `/channels/${channel.id}`)).status).toBe(404);
  });

  it('keeps a stored credential when a client sends the mask back, and replaces it when given a new one', async () => {
    const { body: channel } = await api('POST', '/channels', crmChannel('Customer C', 'first-key'));
    await api('PATCH', `/channels/${channel.id}`, { credentials: { apiKey: '********' } });
    expect((await system.channels.get(channel.id))!.credentials).toEqual({ apiKey: 'first-key' });
    await api('PATCH', `/channels/${channel.id}`, { credentials: { apiKey: 'second-key' } });
    expect((await system.channels.get(channel.id))!.credentials).toEqual({ apiKey: 'second-key' });
    await api('DELETE', `/channels/${channel.id}`);
  });
});

describe('channels side by side', () => {
  it('runs sync-now per channel with its own credentials; a wrong key fails only that channel', async () => {
    const good = (await api('POST', '/channels', { ...crmChannel('Good'), enabled: false })).body;
    const bad = (await api('POST', '/channels', { ...crmChannel('Bad', 'wrong-key'), enabled: false })).body;
    expect((await api('POST', `/channels/${good.id}/sync`)).status).toBe(409); // disabled
    await api('PATCH', `/channels/${good.id}`, { enabled: true });
    await api('PATCH', `/channels/${bad.id}`, { enabled: true });

    const started = await api('POST', `/channels/${good.id}/sync`);
    expect(started.status).toBe(202);
    expect(started.body).toEqual({
      channelId: good.id,
      full: false,
      workflows: [{ flow: 'syncContactsToMailingList', workflowId: expect.stringMatching(new RegExp(`^syncContactsToMailingList/${good.id}/manual-`)), runId: expect.any(String) }],
    });
    await expect(system.client.workflow.getHandle(started.body.workflows[0].workflowId).result()).resolves.toEqual({ pages: 1, copied: 30, removed: 0, cursor: '30' });
    const description = await system.client.workflow.getHandle(started.body.workflows[0].workflowId).describe();
    expect(description.searchAttributes).toMatchObject({ ChannelId: [good.id], Trigger: ['manual'] });

    const failed = await api('POST', `/channels/${bad.id}/sync`);
    await expect(system.client.workflow.getHandle(failed.body.workflows[0].workflowId).result()).rejects.toThrow();
    const badRuns = (await api('GET', `/channels/${bad.id}/runs`)).body as Array<{ status: string; workflowId: string }>;
    const goodRuns = (await api('GET', `/channels/${good.id}/runs`)).body as Array<{ workflowId: string }>;
    expect(badRuns.map((r) => r.workflowId)).toContain(failed.body.workflows[0].workflowId);
    expect(goodRuns.every((r) => r.workflowId.includes(good.id))).toBe(true);
    expect(badRuns.every((r) => r.workflowId.includes(bad.id))).toBe(true);
  });

  it('gives each channel its own webhook URL', async () => {
    const channel = (await api('POST', '/channels', crmChannel('Webhook customer'))).body;
    const res = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders/${channel.id}`, orderPlacedExample, { 'x-delivery-id': 'per-channel-1' });
    expect(res.status).toBe(202);
    expect(res.body.workflowId).toMatch(new RegExp(`^orderPlaced/${channel.id}/per-channel-1-[0-9a-f]{16}$`)); // unsigned: header id bound to the body's hash
    await system.client.workflow.getHandle(res.body.workflowId).result();

    expect((await postJson(`${system.apiUrl}/webhooks/demo-crm/orders/ch_doesnotexist`, orderPlacedExample)).status).toBe(404);
    await api('PATCH', `/channels/${channel.id}`, { enabled: false });
    expect((await postJson(`${system.apiUrl}/webhooks/demo-crm/orders/${channel.id}`, orderPlacedExample)).status).toBe(404);
  });
});

describe('secrets', () => {
  it('never shows a channel secret in a run history, an API response or a log line', async () => {
    const secret = 'sk_live_0123456789-very-secret';
    system.crm.acceptApiKey(secret);
    const channel = (await api('POST', '/channels', crmChannel('Secretive', secret))).body;
    const order = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders/${channel.id}`, orderPlacedExample);
    responses.push(JSON.stringify(order.body));
    await system.client.workflow.getHandle(order.body.workflowId).result();
    const sync = await api('POST', `/channels/${channel.id}/sync`);
    await system.client.workflow.getHandle(sync.body.workflows[0].workflowId).result();
    await api('GET', `/channels/${channel.id}`);
    await api('GET', '/channels');
    await api('GET', `/channels/${channel.id}/runs`);

    for (const workflowId of [order.body.workflowId, sync.body.workflows[0].workflowId]) {
      expect(JSON.stringify(await system.client.workflow.getHandle(workflowId).fetchHistory())).not.toContain(secret);
    }
    expect(responses.join('\n')).not.toContain(secret);
    expect(logs.join('')).not.toContain(secret);
    // At rest too: the store row holds only the sealed value.
    const row = await system.store.db.selectFrom('channels').select('credentials').where('id', '=', channel.id).executeTakeFirstOrThrow();
    expect(row.credentials).not.toContain(secret);
  });
});
