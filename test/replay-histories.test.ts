/**
 * Safe deploys: every committed history under test/histories/ replays against the workflow code as
 * it is now, in the bundle the worker builds (workflows/index.ts). A run in flight when a new
 * worker starts is replayed the same way, so a change that fails here would fail those runs in
 * production (a non-determinism error, the run stuck until a fixed worker comes).
 *
 * When this fails for a change you meant: keep old runs on the old path with patched() (see
 * workflows/order-placed.ts), or roll out with worker versioning (README, "Rolling out a changed
 * flow"); then `npm run histories:record` and commit the new history, keeping the old one if
 * runs of it may still be open (test/histories/pre-patch/).
 */
import { Worker, type ReplayResult } from '@temporalio/worker';
import * as bundle from '../workflows';
import { readHistories } from './histories/history-files';
import { quietWorkerLogs } from './support/system';

const histories = readHistories();
const results = new Map<string, ReplayResult>();

beforeAll(async () => {
  quietWorkerLogs();
  // One replay worker for all of them: one bundle, the histories replayed one after another, in order.
  const replay = Worker.runReplayHistories({ workflowsPath: require.resolve('../workflows') }, histories);
  let i = 0;
  for await (const result of replay) results.set(histories[i++]!.name, result);
}, 120_000);

it('keeps a recorded history of every flow the workflow bundle exports', () => {
  const recorded = histories.filter((h) => h.name === h.flow).map((h) => h.flow);
  // A new flow needs a scenario in test/histories/scenarios.ts and `npm run histories:record`.
  expect(recorded.sort()).toEqual(Object.keys(bundle).sort());
});

it.each(histories.map((h) => [h.name]))('%s replays against the current code', (name) => {
  const result = results.get(name);
  expect(result).toBeDefined();
  if (result?.error) {
    throw new Error(
      `test/histories/${name}.json no longer replays: a run in flight would fail the same way.\n${result.error.message}\n` +
        'Guard the change with patched() or roll it out with worker versioning (README, "Rolling out a changed flow"), then npm run histories:record.',
    );
  }
});
