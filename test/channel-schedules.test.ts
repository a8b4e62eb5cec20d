/**
 * GET /channels/:id/schedules and GET /schedules against a real Temporal: each polling schedule as
 * Temporal describes it now (paused and why, next and last run), following the channel's changes.
 */
import { randomUUID } from 'node:crypto';
import { ChannelSchedules } from '../channels/channel-schedules';
import type { StoredChannel } from '../store/channel-store';
import { flows } from '../workflows/flows';
import { authHeaders, DEMO_API_KEY, eventually, getJson, postJson, startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
let readKey: string;
beforeAll(async () => {
  system = await startTestSystem({ contacts: 30 });
  readKey = (await postJson(`${system.apiUrl}/api-keys`, { name: 'console', scopes: ['read'] })).body.key;
});
afterAll(async () => {
  await system?.stop();
});

async function patch(id: string, body: unknown): Promise<number> {
  const res = await fetch(`${system.apiUrl}/channels/${id}`, { method: 'PATCH', headers: { ...authHeaders(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.status;
}

const schedulesOf = async (id: string, key?: string) => getJson(`${system.apiUrl}/channels/${id}/schedules`, key ? authHeaders(key) : {});
const allSchedules = async (key?: string) => getJson(`${system.apiUrl}/schedules`, key ? authHeaders(key) : {});

/** A channel in the store only: it has no schedule until one is made for it. */
async function storeChannel(test: string, enabled = true): Promise<StoredChannel> {
  const template = (await system.channels.get('demo-crm-default'))!;
  return system.channels.create({ ...template, id: `${test}-${randomUUID().slice(0, 8)}`, name: test, enabled });
}

describe('GET /channels/:id/schedules', () => {
  it('shows the schedule of the polling flow with its next and last run; disabling pauses it with its note, enabling resumes it', async () => {
    const created = await postJson(`${system.apiUrl}/channels`, { application: 'demo-crm', name: 'Scheduled', settings: { baseUrl: system.crm.url }, credentials: { apiKey: DEMO_API_KEY } });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    const scheduleId = `syncContactsToMailingList/${id}`;
    const handle = system.client.schedule.getHandle(scheduleId);

    // Created enabled, it ran at once: that run is its last.
    const [entry] = await eventually(
      async () => {
        const res = await schedulesOf(id);
        expect(res.status).toBe(200);
        return res.body[0]?.lastRunAt ? res.body : undefined;
      },
      30_000,
      'the first run in the schedule',
    );
    const described = await handle.describe();
    expect(entry).toEqual({
      flow: 'syncContactsToMailingList',
      scheduleId,
      paused: false,
      note: null,
      nextRunAt: described.info.nextActionTimes[0]!.toISOString(),
      lastRunAt: described.info.recentActions.at(-1)!.takenAt.toISOString(),
    });
    expect(Date.parse(entry.nextRunAt)).toBeGreaterThan(Date.parse(entry.lastRunAt));
    // The console reads with a read-only key.
    expect((await schedulesOf(id, readKey)).body).toEqual([entry]);

    expect(await patch(id, { enabled: false })).toBe(200);
    const paused = (await schedulesOf(id)).body;
    expect(paused).toEqual([{ ...entry, paused: true, note: 'channel disabled', nextRunAt: null }]);
    expect((await allSchedules(readKey)).body.filter((s: { channelId: string }) => s.channelId === id)).toEqual([{ ...paused[0], channelId: id }]);

    expect(await patch(id, { enabled: true })).toBe(200);
    const [resumed] = (await schedulesOf(id)).body;
    expect(resumed).toMatchObject({ paused: false, note: 'channel enabled', nextRunAt: expect.any(String) });
    expect(Date.parse(resumed.nextRunAt)).toBeGreaterThan(Date.now() - 1_000);

    expect((await fetch(`${system.apiUrl}/channels/${id}`, { method: 'DELETE', headers: authHeaders() })).status).toBe(204);
    expect((await schedulesOf(id)).status).toBe(404);
    expect((await allSchedules()).body.some((s: { channelId: string }) => s.channelId === id)).toBe(false);
  });

  it('answers 404 for an unknown channel, and leaves out a schedule Temporal does not have', async () => {
    const unknown = await schedulesOf('ch_no-such-channel');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain('ch_no-such-channel');
    const unscheduled = await storeChannel('unscheduled');
    expect(await schedulesOf(unscheduled.id)).toEqual({ status: 200, body: [] });
    expect((await allSchedules()).body.some((s: { channelId: string }) => s.channelId === unscheduled.id)).toBe(false);
  });

  it('needs a key', async () => {
    expect((await getJson(`${system.apiUrl}/schedules`, { authorization: '' })).status).toBe(401);
    expect((await getJson(`${system.apiUrl}/channels/demo-crm-default/schedules`, { authorization: '' })).status).toBe(401);
  });
});

describe('GET /schedules', () => {
  it("lists every channel's schedules with the channel's id, in the store's order, more channels than are described at once", async () => {
    // Disabled: their schedules are made paused and start no run.
    const channels: StoredChannel[] = [];
    for (let i = 0; i < 12; i++) channels.push(await storeChannel(`many-${i}`, false));
    const schedules = new ChannelSchedules(system.client, flows, system.settings.taskQueue);
    await schedules.syncAll(channels);
    try {
      const { status, body } = await allSchedules(readKey);
      expect(status).toBe(200);
      const ours = body.filter((s: { channelId: string }) => channels.some((c) => c.id === s.channelId));
      expect(ours).toEqual(
        channels.map((channel) => ({
          channelId: channel.id,
          flow: 'syncContactsToMailingList',
          scheduleId: `syncContactsToMailingList/${channel.id}`,
          paused: true,
          note: 'channel disabled',
          nextRunAt: null,
          lastRunAt: null,
        })),
      );
    } finally {
      await Promise.all(channels.map((channel) => schedules.remove(channel)));
    }
  });
});
