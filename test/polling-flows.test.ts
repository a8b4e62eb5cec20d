/** Polling flows: their Temporal Schedules, created idempotently, and a triggered sync copying records. */
import { randomUUID } from 'node:crypto';
import { TypedSearchAttributes } from '@temporalio/common';
import { ChannelSchedules } from '../channels/channel-schedules';
import type { StoredChannel } from '../store/channel-store';
import { defineFlows, flow, polling } from '../workflows/framework/flow';
import { flows } from '../workflows/flows';
import { syncContactsToMailingList } from '../workflows/sync-contacts-to-mailing-list';
import { demoCrm } from '../applications/demo-crm';
import { eventually, getJson, startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ contacts: 520 });
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
      new ChannelSchedules(system.client, defineFlows([flow(syncContactsToMailingList, { application: demoCrm, description: 'test', trigger: polling({ every: interval as '1h' }) })]), system.settings.taskQueue);

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
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'syncContactsToMailingList', taskQueue: system.settings.taskQueue, args: [{ channelId: channel.id }] });
      const attributes = described.action.typedSearchAttributes;
      const pairs = attributes instanceof TypedSearchAttributes ? attributes.getAll() : (attributes ?? []);
      expect(pairs.map((pair) => [pair.key.name, pair.value])).toEqual(
        expect.arrayContaining([['FlowName', 'syncContactsToMailingList'], ['ChannelId', channel.id], ['Trigger', 'polling']]),
      );

      // Exactly one schedule with this id exists in Temporal's list.
      const ids: string[] = [];
      for await (const schedule of system.client.schedule.list()) if (schedule.scheduleId === first[0]!.scheduleId) ids.push(schedule.scheduleId);
      expect(ids).toHaveLength(1);
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
      // 520 contacts at 20 per page is 26 pages; the flow continues as new after 25, so the
      // result comes from the second run of the chain.
      const progress = await system.client.workflow.getHandle(started.workflowId).result();
      expect(progress).toEqual({ pages: 26, copied: 520 });
      expect(system.crm.mailingList.size).toBe(520);
      expect(system.crm.mailingList.get(system.crm.contacts[519]!.email)).toMatchObject({ sourceId: 'c_520' });

      const firstRun = await system.client.workflow.getHandle(started.workflowId, started.firstExecutionRunId).fetchHistory();
      expect(firstRun.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
      expect(firstRun.events!.length).toBeLessThan(25 * 21 * 7); // bounded by the continue-as-new threshold
    } finally {
      await handle.delete();
    }
  });

  it('lists every flow at GET /flows with its trigger', async () => {
    const { status, body } = await getJson(`${system.apiUrl}/flows`);
    expect(status).toBe(200);
    const byName = Object.fromEntries(body.map((f: { name: string }) => [f.name, f]));
    expect(byName.syncContactsToMailingList.trigger).toEqual({ type: 'polling', every: expect.anything(), scheduleId: 'syncContactsToMailingList/demo-crm-default' });
    const orders = byName.orderPlaced.trigger;
    expect(orders).toMatchObject({ type: 'webhook', path: 'demo-crm/orders', mode: 'start' });
    expect(orders.bodySchema).toMatchObject({ type: 'object', required: expect.arrayContaining(['orderId', 'customerEmail', 'total', 'currency']) });
    expect(orders.bodySchema.properties.customerEmail).toMatchObject({ type: 'string', format: 'email' });
    expect(orders.example).toMatchObject({ orderId: expect.any(String) });
    expect(byName.ticketLifecycle.trigger).toMatchObject({ type: 'webhook', path: 'demo-crm/ticket-events', mode: 'signal' });
  });
});
