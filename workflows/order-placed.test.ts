/**
 * orderPlaced's patched() steps (naming a contact the CRM knows without a name; connector calls
 * as local activities): a run recorded before the change still replays, and new runs take them. The flow runs on the tests' real
 * Temporal dev server with runConnector faked as a small CRM, so only the workflow is under test.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { readHistories } from '../test/histories/history-files';
import { quietWorkerLogs, temporalAddress } from '../test/support/system';
import { LOCAL_CONNECTOR_CALLS, NAME_KNOWN_CONTACT, orderPlaced } from './order-placed';
import type { OrderPlaced } from './order-placed.schema';

type History = temporal.api.history.v1.IHistory;
interface Contact {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
}
interface ConnectorCall {
  connector: string;
  input: Record<string, unknown>;
}

const workflowsPath = require.resolve('./order-placed');
const prePatch = readHistories().find((h) => h.name === 'pre-patch/orderPlaced');

/** The connector's own name: keys are `<group>.<name>`, and the group's spelling is the registry's business. */
const nameOf = (connector: string): string => connector.slice(connector.lastIndexOf('.') + 1);

/** The connector calls a history scheduled, in order, with the results they got. */
function connectorCalls(history: History): Array<{ name: string; input: Record<string, unknown>; result: unknown }> {
  const calls = new Map<number, { name: string; input: Record<string, unknown>; result: unknown }>();
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const call = defaultPayloadConverter.fromPayload<ConnectorCall>(scheduled.input!.payloads![0]!);
      calls.set(Number(event.eventId), { name: nameOf(call.connector), input: call.input, result: undefined });
    }
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) calls.get(Number(completed.scheduledEventId))!.result = defaultPayloadConverter.fromPayload(completed.result!.payloads![0]!);
  }
  return [...calls.values()];
}

function patchMarkers(history: History): string[] {
  return (history.events ?? [])
    .map((event) => event.markerRecordedEventAttributes)
    .filter((marker) => marker?.markerName === 'core_patch')
    .map((marker) => defaultPayloadConverter.fromPayload<{ id: string }>(marker!.details!['patch-data']!.payloads![0]!).id);
}

/** runConnector against an in-memory CRM, recording what the flow asked for. */
function fakeCrm(contacts: Contact[]) {
  const calls: string[] = [];
  const runConnector = async ({ connector, input }: ConnectorCall): Promise<unknown> => {
    const name = nameOf(connector);
    calls.push(name);
    switch (name) {
      case 'findContactByEmail':
        return contacts.find((c) => c.email === input.email) ?? null;
      case 'createContact': {
        const contact = { id: `c_${contacts.length + 1}`, email: String(input.email), firstName: String(input.firstName), lastName: String(input.lastName) };
        contacts.push(contact);
        return contact;
      }
      case 'updateContact': {
        const contact = contacts.find((c) => c.id === input.id)!;
        return Object.assign(contact, { firstName: input.firstName, lastName: input.lastName });
      }
      case 'addContactNote':
        return { id: `n_${calls.length}`, contactId: input.contactId, text: input.text };
      default:
        throw new Error(`the fake CRM has no ${connector}`);
    }
  };
  return { calls, contacts, runConnector };
}

async function runOrder(crm: ReturnType<typeof fakeCrm>, order: OrderPlaced): Promise<History> {
  const address = temporalAddress();
  const taskQueue = `order-placed-test-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  try {
    const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowsPath, activities: { runConnector: crm.runConnector } });
    const client = new Client({ connection });
    const workflowId = `orderPlaced/test/${randomUUID()}`;
    await worker.runUntil(client.workflow.execute(orderPlaced, { taskQueue, workflowId, args: [{ channelId: 'demo-crm-default', deliveryId: 'd-1', body: order }] }));
    return await client.workflow.getHandle(workflowId).fetchHistory();
  } finally {
    await connection.close();
    await nativeConnection.close();
  }
}

const order: OrderPlaced = { orderId: 'ord_7', customerEmail: 'hedy@example.com', customerName: 'Hedy Lamarr', total: 10, currency: 'EUR' };

beforeAll(() => quietWorkerLogs());

describe('a run recorded before the patch', () => {
  it('is committed, and went the way the patch changes: a contact without a name found for an order with one', () => {
    expect(prePatch).toBeDefined();
    const calls = connectorCalls(prePatch!.history);
    expect(calls.map((c) => c.name)).toEqual(['findContactByEmail', 'addContactNote']);
    expect(calls[0]!.result).toMatchObject({ firstName: '' });
    const started = prePatch!.history.events![0]!.workflowExecutionStartedEventAttributes!;
    expect(defaultPayloadConverter.fromPayload(started.input!.payloads![0]!)).toMatchObject({ body: { customerName: expect.stringMatching(/\S/) } });
    expect(patchMarkers(prePatch!.history)).toEqual([]);
  });

  it('replays against the patched code', async () => {
    await expect(Worker.runReplayHistory({ workflowsPath }, prePatch!.history, prePatch!.workflowId)).resolves.toBeUndefined();
  });
});

describe('a new run', () => {
  it('takes the new step for a contact without a name, and records the patch marker', async () => {
    const crm = fakeCrm([{ id: 'c_1', email: order.customerEmail, firstName: '', lastName: '' }]);
    const history = await runOrder(crm, order);
    expect(crm.calls).toEqual(['findContactByEmail', 'updateContact', 'addContactNote']);
    expect(crm.contacts[0]).toMatchObject({ firstName: 'Hedy', lastName: 'Lamarr' });
    expect(patchMarkers(history)).toEqual([LOCAL_CONNECTOR_CALLS, NAME_KNOWN_CONTACT]);
  });

  it('makes its connector calls as local activities: markers in one workflow task, no activity tasks', async () => {
    const crm = fakeCrm([]);
    const history = await runOrder(crm, order);
    expect(crm.calls).toEqual(['findContactByEmail', 'createContact', 'addContactNote']);
    const events = history.events ?? [];
    expect(events.filter((event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toHaveLength(3);
    expect(events.filter((event) => event.activityTaskScheduledEventAttributes)).toEqual([]);
    expect(events.filter((event) => event.workflowTaskCompletedEventAttributes)).toHaveLength(1);
  });

  it('leaves a contact that has a name as it is', async () => {
    const crm = fakeCrm([{ id: 'c_1', email: order.customerEmail, firstName: 'H.', lastName: 'L.' }]);
    await runOrder(crm, order);
    expect(crm.calls).toEqual(['findContactByEmail', 'addContactNote']);
    expect(crm.contacts[0]).toMatchObject({ firstName: 'H.', lastName: 'L.' });
  });
});
