/**
 * POST /runs/:id/retry resets a failed run to its first workflow task, so the new run sends again
 * every write the failed one had made. Default idempotency keys come from what a reset keeps
 * (workflow id, original run id, activity id, the write itself), so a remote that deduplicates by
 * Idempotency-Key, as real APIs do (the demo CRM's notes), applies each write once. A
 * continue-as-new, whose activity ids start again at 1, gets keys of its own.
 */
import { randomUUID } from 'node:crypto';
import { postJson, startTestSystem, type TestSystem } from './support/system';
import { startTestWorker, type TestWorker } from './support/test-worker';
import type { continueOnce, writeNotes } from './support/workflows/retry-flows';

let system: TestSystem;
let worker: TestWorker | undefined;
const taskQueue = `retry-flows-${randomUUID()}`;

beforeAll(async () => {
  system = await startTestSystem();
  // The test's workflows are no flows of the engine: a worker of their own, with the engine's activities.
  worker = await startTestWorker(system, { taskQueue, workflowsPath: require.resolve('./support/workflows/retry-flows') });
});
afterAll(async () => {
  await worker?.stop();
  await system?.stop();
});

it('retries a run that failed on its third write: the first two apply once, the third once, the run completes', async () => {
  const label = `retry-${randomUUID().slice(0, 8)}`;
  const notes = () => system.crm.notes.filter((note) => note.text.startsWith(`${label} `));
  // The third write is refused (non-retryable) until the cause is fixed.
  system.crm.failNext(/^\/api\/contacts\/c_3\/notes$/, 1_000, 422);
  const workflowId = `writeNotes/${label}`;
  const first = await system.client.workflow.start<typeof writeNotes>('writeNotes', { taskQueue, workflowId, args: [{ channelId: 'demo-crm-default', contactIds: ['c_1', 'c_2', 'c_3'], label }] });
  await expect(first.result()).rejects.toThrow();
  expect(notes().map((note) => note.text)).toEqual([`${label} #1`, `${label} #2`]);
  const applied = notes().map((note) => note.id);

  system.crm.clearFailures();
  const retried = await postJson(`${system.apiUrl}/runs/${encodeURIComponent(workflowId)}/retry`, {});
  expect(retried.status).toBe(202);
  expect(retried.body.runId).not.toBe(first.firstExecutionRunId);
  const ids = await system.client.workflow.getHandle<typeof writeNotes>(workflowId, retried.body.runId).result();

  // The remote saw the first two writes again, with the keys they had: it answered them from its memory.
  expect(ids.slice(0, 2)).toEqual(applied);
  expect(notes().map((note) => note.text)).toEqual([`${label} #1`, `${label} #2`, `${label} #3`]);
  expect(system.crm.requests.filter((r) => r.method === 'POST' && /^\/api\/contacts\/c_[12]\/notes$/.test(r.path) && r.status === 201).length).toBeGreaterThanOrEqual(4);
});

it('gives each run of a continue-as-new chain an original run id of its own, so its keys differ', async () => {
  const handle = await system.client.workflow.start<typeof continueOnce>('continueOnce', { taskQueue, workflowId: `continueOnce/${randomUUID()}`, args: [[]] });
  const runs = await handle.result();
  expect(runs).toHaveLength(2);
  expect(runs[0]!.runId).not.toBe(runs[1]!.runId);
  for (const run of runs) expect(run.originalRunId).toBe(run.runId);
});
