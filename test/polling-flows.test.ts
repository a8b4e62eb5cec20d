/** Polling flows: their Temporal Schedules, created idempotently, and a triggered sync copying records. */
import { randomUUID } from 'node:crypto';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { ChannelSchedules } from '../channels/channel-schedules';
import type { StoredChannel } from '../store/channel-store';
import { defineFlows, flow, polling } from '../workflows/framework/flow';
import { flows } from '../workflows/flows';
import { syncContactsToMailingList, syncProgressQuery } from '../workflows/sync-contacts-to-mailing-list';
import { demoCrm } from '../connectors/demo-crm/application';
import { eventually, getJson, postJson, startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ contacts: 2_100 });
});
afterAll(async () => {
  await system?.stop();
});

/** A channel of its own per test (in the store the worker reads), so schedule ids never collide across tests and runs. */
async function channelFor(test: string): Promise<StoredChannel> {
  const template = (await system.channels.get('demo-crm-default'))!;
  return system.channels.create({ ...template, id: `${test}-${randomUUID().slice(0, 8)}`, name: test });
}

describe('polling schedules', () => {
  it('creates one schedule per flow and channel, idempotently, and updates a changed interval', async () => {
    const channel = await channelFor('idempotent');
    const every = (interval: string) =>
      new ChannelSchedules(
        system.client,
        defineFlows([flow(syncContactsToMailingList, { application: demoCrm, description: 'test', trigger: polling({ every: interval as '1h' }) })]),
        system.settings.taskQueue,
      );

    const first = await every('1h').sync(channel);
    expect(first).toEqual([{ scheduleId: `syncContactsToMailingList/${channel.id}`, flow: 'syncContactsToMailingList', channelId: channel.id, change: 'created' }]);
    const handle = system.client.schedule.getHandle(first[0]!.scheduleId);
    try {
      const again = await every('1h').sync(channel);
      expect(again[0]!.change).toBe('unchanged');

      const changed = await every('2h').sync(channel);
      expect(changed[0]!.change).toBe('updated');
      const described = await handle.describe();
      expect(described.spec.intervals).toEqual([expect.objectContaining({ every: 2 * 60 * 60 * 1000 })]);
      expect(described.action).toMatchObject({
        type: 'startWorkflow',
        workflowType: 'syncContactsToMailingList',
        taskQueue: system.settings.taskQueue,
        args: [{ channelId: channel.id, intervalMs: 2 * 60 * 60 * 1000 }],
      });
      const attributes = described.action.typedSearchAttributes;
      const pairs = attributes instanceof TypedSearchAttributes ? attributes.getAll() : (attributes ?? []);
      expect(pairs.map((pair) => [pair.key.name, pair.value])).toEqual(
        expect.arrayContaining([
          ['FlowName', 'syncContactsToMailingList'],
          ['ChannelId', channel.id],
          ['Trigger', 'polling'],
        ]),
      );

      // Exactly one schedule with this id exists in Temporal's list.
      const ids: string[] = [];
      for await (const schedule of system.client.schedule.list()) if (schedule.scheduleId === first[0]!.scheduleId) ids.push(schedule.scheduleId);
      expect(ids).toHaveLength(1);
    } finally {
      await handle.delete();
    }
  });

  it('takes overlap, catch-up window and jitter from the trigger, and updates them when they change', async () => {
    const channel = await channelFor('policies');
    const schedules = (trigger: ReturnType<typeof polling>) =>
      new ChannelSchedules(system.client, defineFlows([flow(syncContactsToMailingList, { application: demoCrm, description: 'test', trigger })]), system.settings.taskQueue);
    const [created] = await schedules(polling({ every: '1h' })).sync(channel);
    const handle = system.client.schedule.getHandle(created!.scheduleId);
    try {
      expect((await handle.describe()).policies).toMatchObject({ overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 60_000 });
      const [changed] = await schedules(polling({ every: '1h', overlap: 'bufferOne', catchupWindow: '10 minutes', jitter: '30s' })).sync(channel);
      expect(changed!.change).toBe('updated');
      const described = await handle.describe();
      expect(described.policies).toMatchObject({ overlap: ScheduleOverlapPolicy.BUFFER_ONE, catchupWindow: 600_000 });
      expect(described.spec.jitter).toBe(30_000);
      expect((await schedules(polling({ every: '1h', overlap: 'bufferOne', catchupWindow: '10 minutes', jitter: '30s' })).sync(channel))[0]!.change).toBe('unchanged');
    } finally {
      await handle.delete();
    }
  });

  it('runs at once when created, paging every contact into the mailing list', async () => {
    const channel = await channelFor('sync');
    const [result] = await new ChannelSchedules(system.client, flows, system.settings.taskQueue).sync(channel);
    const handle = system.client.schedule.getHandle(result!.scheduleId);
    try {
      const started = await eventually(async () => (await handle.describe()).info.recentActions[0]?.action.workflow, 30_000, 'the first scheduled run');
      expect(started.workflowId).toMatch(new RegExp(`^syncContactsToMailingList/${result!.channelId}/scheduled-`));
      // 2,100 contacts at 500 per page is 5 pages; the flow continues as new after 4, so the
      // result comes from the second run of the chain.
      const progress = await system.client.workflow.getHandle(started.workflowId).result();
      expect(progress).toEqual({ pages: 5, copied: 2_100, removed: 0, cursor: '2100' });
      expect(system.crm.mailingList.size).toBe(2_100);
      expect(system.crm.mailingList.get(system.crm.contacts[2_099]!.email)).toMatchObject({ sourceId: 'c_2100' });
      expect(await system.cursors.get(channel.id, 'syncContactsToMailingList')).toMatchObject({ cursor: '2100' });

      const firstRun = await system.client.workflow.getHandle(started.workflowId, started.firstExecutionRunId).fetchHistory();
      expect(firstRun.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
      expect(firstRun.events!.length).toBeLessThan(200); // bounded: pages and batches, not records, make events
    } finally {
      await handle.delete();
    }
  });

  it('lists every flow at GET /flows with its trigger', async () => {
    const { status, body } = await getJson(`${system.apiUrl}/flows`);
    expect(status).toBe(200);
    const byName = Object.fromEntries(body.map((f: { name: string }) => [f.name, f]));
    expect(byName.syncContactsToMailingList.trigger).toEqual({
      type: 'polling',
      every: expect.anything(),
      scheduleId: 'syncContactsToMailingList/demo-crm-default',
      overlap: 'skip',
      catchupWindow: '1 minute',
      jitter: null,
    });
    const orders = byName.orderPlaced.trigger;
    expect(orders).toMatchObject({ type: 'webhook', path: 'demo-crm/orders', mode: 'start' });
    expect(orders.bodySchema).toMatchObject({ type: 'object', required: expect.arrayContaining(['orderId', 'customerEmail', 'total', 'currency']) });
    expect(orders.bodySchema.properties.customerEmail).toMatchObject({ type: 'string', format: 'email' });
    expect(orders.example).toMatchObject({ orderId: expect.any(String) });
    expect(byName.ticketLifecycle.trigger).toMatchObject({ type: 'webhook', path: 'demo-crm/ticket-events', mode: 'signal' });
  });
});

describe('incremental sync', () => {
  const flowName = 'syncContactsToMailingList';
  const runOf = async (workflowId: string) => system.client.workflow.getHandle(workflowId).result();
  const syncNow = async (channelId: string, body?: unknown) => {
    const res = await postJson(`${system.apiUrl}/channels/${channelId}/sync`, body ?? {});
    expect(res.status).toBe(202);
    return runOf(res.body.workflows[0].workflowId);
  };

  it('continues from the cursor: only changes since the last run, deletions taken off the list, full resync on request', async () => {
    const channel = await channelFor('incremental');
    const first = await syncNow(channel.id);
    expect(first).toMatchObject({ copied: system.crm.contacts.length, removed: 0 });
    const cursorAfterFirst = (await system.cursors.get(channel.id, flowName))!.cursor;

    const [changed, deleted] = [system.crm.contacts[3]!, system.crm.contacts[7]!];
    system.crm.changeContact(changed.id, { lastName: 'Changed' });
    system.crm.deleteContact(deleted.id);
    const added = system.crm.addContacts(2);

    const second = await syncNow(channel.id);
    expect(second).toEqual({ pages: 1, copied: 3, removed: 1, cursor: expect.any(String) });
    expect(Number(second.cursor)).toBeGreaterThan(Number(cursorAfterFirst));
    expect(system.crm.mailingList.get(changed.email)).toMatchObject({ lastName: 'Changed' });
    expect(system.crm.mailingList.has(deleted.email)).toBe(false);
    for (const contact of added) expect(system.crm.mailingList.has(contact.email)).toBe(true);

    const idle = await syncNow(channel.id);
    expect(idle).toMatchObject({ copied: 0, removed: 0, cursor: second.cursor });

    const { body: cursors } = await getJson(`${system.apiUrl}/channels/${channel.id}/cursors`);
    expect(cursors).toEqual([{ channelId: channel.id, flow: flowName, cursor: second.cursor, updatedAt: expect.any(String) }]);

    const full = await syncNow(channel.id, { full: true });
    expect(full).toMatchObject({ copied: system.crm.contacts.length, removed: 1 });
  });

  it('does not write a record version twice: a second sync of the same versions applies nothing at the target', async () => {
    const channel = await channelFor('exactly-once');
    const contact = system.crm.contacts[0]!;
    const before = system.crm.mailingListWrites.get(contact.email) ?? 0;
    await syncNow(channel.id, { full: true });
    await syncNow(channel.id, { full: true });
    // Same channel, same record version: the second write carries the same idempotency key.
    expect(system.crm.mailingListWrites.get(contact.email)).toBe(before + 1);
  });

  it('backfills a past time range with Temporal schedule backfill: one run per interval, each syncing its window, the cursor left alone', async () => {
    const channel = await channelFor('backfill');
    const schedules = new ChannelSchedules(
      system.client,
      defineFlows([flow(syncContactsToMailingList, { application: demoCrm, description: 'test', trigger: polling({ every: '1 minute' }) })]),
      system.settings.taskQueue,
    );
    const [created] = await schedules.sync({ ...channel, enabled: false });
    const handle = system.client.schedule.getHandle(created!.scheduleId);
    try {
      await system.cursors.save(channel.id, flowName, '42');
      // Seeded contacts changed one per second from 2026-01-01T00:00:00Z.
      const res = await postJson(`${system.apiUrl}/channels/${channel.id}/backfill`, { from: '2026-01-01T00:00:00Z', to: '2026-01-01T00:05:00Z' });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ channelId: channel.id, from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T00:05:00.000Z', schedules: [{ flow: flowName, scheduleId: created!.scheduleId }] });

      const runs = await eventually(
        async () => {
          const found = [];
          for await (const run of system.client.workflow.list({ query: `ChannelId = "${channel.id}" AND \`Trigger\` = "backfill" AND ExecutionStatus = "Completed"` })) found.push(run);
          return found.length >= 6 ? found : undefined;
        },
        60_000,
        'six completed backfill runs',
      );
      // Temporal's backfill range includes its start: ticks at 00:00, 00:01 … 00:05.
      expect(runs).toHaveLength(6);
      const results = (await Promise.all(runs.map((run) => system.client.workflow.getHandle(run.workflowId, run.runId).result()))) as Array<{ copied: number }>;
      const copied = results.reduce((sum, result) => sum + result.copied, 0);
      // Each run covers the minute before its tick, so together (23:59, 00:05]: contacts 1…301 as
      // they stand now (an earlier test changed or deleted a few, which moved them out of the range).
      const inRange = system.crm.contacts.filter((c) => c.updatedAt > '2025-12-31T23:59:00.000Z' && c.updatedAt <= '2026-01-01T00:05:00.000Z');
      expect(inRange.length).toBeGreaterThan(290);
      expect(copied).toBe(inRange.length);
      expect(await system.cursors.get(channel.id, flowName)).toMatchObject({ cursor: '42' });
    } finally {
      await handle.delete();
    }
  });

  it('answers 400 naming the field for a malformed backfill and 409 for a disabled channel', async () => {
    const channel = await channelFor('backfill-bad');
    const bad = await postJson(`${system.apiUrl}/channels/${channel.id}/backfill`, { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^to: must be after from/);
    expect((await postJson(`${system.apiUrl}/channels/${channel.id}/backfill`, { from: 'yesterday', to: '2026-01-01T00:00:00Z' })).body.message).toMatch(/^from:/);
    expect((await postJson(`${system.apiUrl}/channels/${channel.id}/sync`, { full: 'yes' })).status).toBe(400);
    await system.channels.update(channel.id, { enabled: false });
    expect((await postJson(`${system.apiUrl}/channels/${channel.id}/backfill`, { from: '2026-01-01T00:00:00Z', to: '2026-01-01T00:05:00Z' })).status).toBe(409);
  });

  it('shows progress while it runs: a query with counts and the cursor', async () => {
    const channel = await channelFor('progress');
    const res = await postJson(`${system.apiUrl}/channels/${channel.id}/sync`, {});
    const handle = system.client.workflow.getHandle(res.body.workflows[0].workflowId);
    const progress = await eventually(
      async () => {
        const value = await handle.query(syncProgressQuery).catch(() => undefined);
        return value && value.pages > 0 ? value : undefined;
      },
      30_000,
      'progress from the query',
    );
    expect(progress).toMatchObject({ pages: expect.any(Number), copied: expect.any(Number), removed: expect.any(Number), cursor: expect.stringMatching(/^\d+$/) });
    await handle.result();
  });
});
