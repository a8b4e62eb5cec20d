/**
 * ticketLifecycle's idle exit: a ticket nobody touches for 30 days ends its workflow, and each
 * event starts the 30 days again. Days pass in milliseconds on Temporal's time-skipping test
 * server (test/support/time-skipping-server.ts); the dev server the other tests share runs on
 * the wall clock, where a 30-day timer cannot be waited for.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createTimeSkippingEnv } from '../test/support/time-skipping-server';
import { quietWorkerLogs } from '../test/support/system';
import { ticketEventSignal, ticketLifecycle, ticketStateQuery } from './ticket-lifecycle';
import type { TicketEvent } from './ticket-lifecycle.schema';

const DAY_MS = 24 * 60 * 60 * 1000;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  quietWorkerLogs();
  env = await createTimeSkippingEnv();
}, 180_000);
afterAll(async () => {
  await env?.teardown();
});

const event = (type: TicketEvent['type']): TicketEvent => ({ ticketId: 'T-1', contactId: 'c_1', type, text: '' });

/** Runs `test` with a worker for the flow; the connector activity only counts calls (none is expected). */
async function withWorker(test: (start: () => Promise<WorkflowHandle<typeof ticketLifecycle>>) => Promise<void>): Promise<number> {
  const taskQueue = `ticket-lifecycle-test-${randomUUID()}`;
  let connectorCalls = 0;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./ticket-lifecycle'),
    activities: {
      runConnector: async () => {
        connectorCalls += 1;
        return { id: 'n_1' };
      },
    },
  });
  // As the entity webhook does: signalWithStart with the first event and its delivery.
  const start = () =>
    env.client.workflow.signalWithStart(ticketLifecycle, {
      taskQueue,
      workflowId: `ticketLifecycle/test/${randomUUID()}`,
      args: [{ channelId: 'demo-crm-default', entityId: 'T-1' }],
      signal: ticketEventSignal,
      signalArgs: [event('opened'), { deliveryId: 'd-opened' }],
    });
  await worker.runUntil(test(start));
  return connectorCalls;
}

async function status(handle: WorkflowHandle): Promise<string | undefined> {
  return (await handle.describe()).status.name;
}

/** How long the run lived, on the test server's clock. */
async function lifetimeMs(handle: WorkflowHandle): Promise<number> {
  const { startTime, closeTime } = await handle.describe();
  return closeTime!.getTime() - startTime.getTime();
}

it('ends 30 days after the last event, not a day before, with the events it saw and no note', async () => {
  const calls = await withWorker(async (start) => {
    const handle = await start();
    await env.sleep('29 days');
    expect(await status(handle)).toBe('RUNNING');
    await env.sleep('23 hours');
    expect(await status(handle)).toBe('RUNNING');
    await env.sleep('2 hours');
    expect(await status(handle)).toBe('COMPLETED');
    expect(await handle.result()).toMatchObject({ events: [event('opened')], count: 1 });
    const lived = await lifetimeMs(handle);
    expect(lived).toBeGreaterThanOrEqual(30 * DAY_MS);
    expect(lived).toBeLessThan(30 * DAY_MS + 2 * 60 * 60 * 1000);
  });
  // Abandoned, not closed: nothing is written to the contact.
  expect(calls).toBe(0);
});

it('starts the 30 days again with each event', async () => {
  await withWorker(async (start) => {
    const handle = await start();
    await env.sleep('20 days');
    await handle.signal(ticketEventSignal, event('commented'), { deliveryId: 'd-commented' });
    expect(await handle.query(ticketStateQuery)).toMatchObject({ count: 2 });
    // 49 days after the start, 29 after the last event: still waiting.
    await env.sleep('29 days');
    expect(await status(handle)).toBe('RUNNING');
    await env.sleep('2 days');
    expect(await status(handle)).toBe('COMPLETED');
    const lived = await lifetimeMs(handle);
    expect(lived).toBeGreaterThanOrEqual(50 * DAY_MS);
    expect(lived).toBeLessThan(51 * DAY_MS);
  });
});
