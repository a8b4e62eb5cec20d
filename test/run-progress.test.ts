/**
 * GET /runs/:workflowId/progress against a real Temporal and worker: a polling run's syncProgress
 * query while it runs and once it closed, null for a webhook run, 404, 400, and 503 (not a hang)
 * when no worker is there to answer.
 */
import { randomUUID } from 'node:crypto';
import type { StoredChannel } from '../store/channel-store';
import { orderPlacedExample } from '../workflows/order-placed.schema';
import { authHeaders, eventually, getJson, postJson, startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
let readKey: string;
beforeAll(async () => {
  // 2,100 contacts at 500 a page: five pages, across a continue-as-new after the fourth.
  system = await startTestSystem({ contacts: 2_100 });
  readKey = (await postJson(`${system.apiUrl}/api-keys`, { name: 'console', scopes: ['read'] })).body.key;
});
afterAll(async () => {
  await system?.stop();
});

const progressOf = (workflowId: string, headers: Record<string, string> = {}) => getJson(`${system.apiUrl}/runs/${encodeURIComponent(workflowId)}/progress`, headers);

async function channelFor(test: string): Promise<StoredChannel> {
  const template = (await system.channels.get('demo-crm-default'))!;
  return system.channels.create({ ...template, id: `${test}-${randomUUID().slice(0, 8)}`, name: test });
}

describe('GET /runs/:workflowId/progress', () => {
  it("answers a polling run's pages, counts and cursor while it runs, and its totals once it completed", async () => {
    const channel = await channelFor('progress');
    const sync = await postJson(`${system.apiUrl}/channels/${channel.id}/sync`, {});
    expect(sync.status).toBe(202);
    const { workflowId } = sync.body.workflows.find((w: { flow: string }) => w.flow === 'syncContactsToMailingList');

    const seen = await eventually(
      async () => {
        const res = await progressOf(workflowId, authHeaders(readKey));
        expect(res.status).toBe(200);
        return res.body.progress?.pages > 0 ? res.body : undefined;
      },
      30_000,
      'progress with a page done',
    );
    // Each page of the CRM is 500 contacts, the cursor the last one's number.
    const copied = Math.min(seen.progress.pages * 500, 2_100);
    expect(seen).toEqual({
      workflowId,
      runId: expect.any(String),
      status: expect.stringMatching(/^(RUNNING|COMPLETED)$/),
      progress: { pages: expect.any(Number), copied, removed: 0, cursor: String(copied) },
    });

    const result = await system.client.workflow.getHandle(workflowId).result();
    expect(result).toEqual({ pages: 5, copied: 2_100, removed: 0, cursor: '2100' });
    // The chain's last run, closed: a worker replays it to answer, with the chain's totals.
    const done = await progressOf(workflowId);
    const latest = await system.client.workflow.getHandle(workflowId).describe();
    expect(done).toEqual({ status: 200, body: { workflowId, runId: latest.runId, status: 'COMPLETED', progress: result } });
  });

  it('answers progress null for a run without the query (a webhook flow), not an error', async () => {
    const delivery = `progress-webhook-${randomUUID().slice(0, 8)}`;
    const accepted = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, { ...orderPlacedExample, orderId: delivery }, { 'x-delivery-id': delivery });
    expect(accepted.status).toBe(202);
    const { workflowId, runId } = accepted.body;
    await system.client.workflow.getHandle(workflowId).result();
    expect(await progressOf(workflowId, authHeaders(readKey))).toEqual({ status: 200, body: { workflowId, runId, status: 'COMPLETED', progress: null } });
  });

  it('answers 404 for an unknown run and 400 naming workflowId for a malformed one', async () => {
    const unknown = await progressOf(`syncContactsToMailingList/no-such-channel/${randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain('no-such-channel');
    for (const bad of ['x'.repeat(1_001), 'run\u0001id', 'run\nid']) {
      const res = await progressOf(bad);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^workflowId: /);
      expect(res.body.issues).toEqual([{ field: 'workflowId', message: expect.any(String) }]);
    }
    // The other routes of one run hold the id to the same rules.
    const retry = await postJson(`${system.apiUrl}/runs/${'x'.repeat(1_001)}/retry`, {});
    expect(retry.status).toBe(400);
    expect(retry.body.message).toMatch(/^workflowId: /);
    expect((await postJson(`${system.apiUrl}/runs/run%01id/cancel`, {})).status).toBe(400);
  });

  it("answers 503 saying so, within seconds, when no worker polls the run's task queue", async () => {
    const taskQueue = `nobody-polls-${randomUUID()}`;
    const workflowId = `progress-no-worker-${randomUUID()}`;
    const handle = await system.client.workflow.start('syncContactsToMailingList', { taskQueue, workflowId, args: [{ channelId: 'demo-crm-default', intervalMs: 60_000 }] });
    try {
      const started = Date.now();
      const res = await progressOf(workflowId);
      expect(res.status).toBe(503);
      expect(res.body.message).toContain(`no worker answered the run's progress query within 5 s: is a worker polling task queue "${taskQueue}"?`);
      // Temporal would hold the query until a worker came; the API gives up after its 5 s.
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await handle.terminate('test over');
    }
  });
});
