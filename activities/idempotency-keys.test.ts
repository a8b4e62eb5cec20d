/** Default idempotency keys: what they stay the same across, and what makes them differ. */
import { Context } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { idempotencyKeyOf, type KeyScope } from './run-connector';

function keyOf(runId: string, activityId: string, scope?: KeyScope): Promise<string | undefined> {
  const env = new MockActivityEnvironment({ workflowExecution: { workflowId: 'orders/ch-1/d-1', runId }, activityId });
  return env.run(async () => idempotencyKeyOf(Context.current().info, scope));
}

const write = { connector: 'demoCrm.addContactNote', input: { contactId: 'c_1', text: 'hi' } };

it('stays the same in a reset run: same workflow id, original run id, activity id and write', async () => {
  const original = await keyOf('run-1', '3', { originalRunId: 'run-1', content: write });
  expect(await keyOf('run-2-after-reset', '3', { originalRunId: 'run-1', content: write })).toBe(original);
});

it('differs for another activity, another chain run (continue-as-new) or another write at the same place', async () => {
  const original = await keyOf('run-1', '3', { originalRunId: 'run-1', content: write });
  expect(await keyOf('run-1', '4', { originalRunId: 'run-1', content: write })).not.toBe(original);
  expect(await keyOf('run-9', '3', { originalRunId: 'run-9', content: write })).not.toBe(original);
  expect(await keyOf('run-2', '3', { originalRunId: 'run-1', content: { ...write, input: { contactId: 'c_2', text: 'hi' } } })).not.toBe(original);
});

it('keeps the run-id form for a call without an original run id (an older workflow)', async () => {
  expect(await keyOf('run-1', '3')).toBe(await keyOf('run-1', '3', {}));
  expect(await keyOf('run-1', '3')).not.toBe(await keyOf('run-2', '3'));
});

it('for a local call, follows its content and occurrence, not its activity id (a re-run task may take another path)', async () => {
  const first = await keyOf('run-1', '3', { originalRunId: 'run-1', content: write, occurrence: 0 });
  // The re-run found what the first attempt created and skipped a call: the same write is now activity 2.
  expect(await keyOf('run-1', '2', { originalRunId: 'run-1', content: write, occurrence: 0 })).toBe(first);
  // The same write made again on purpose is another write.
  expect(await keyOf('run-1', '4', { originalRunId: 'run-1', content: write, occurrence: 1 })).not.toBe(first);
  expect(await keyOf('run-1', '3', { originalRunId: 'run-1', content: write })).not.toBe(first);
});
