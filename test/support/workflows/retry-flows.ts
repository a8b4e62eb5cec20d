/**
 * Workflows of the retry tests, bundled by a worker of the test's own (they are no flows of the
 * engine): writes through the same connector calls as every flow.
 */
import { continueAsNew, workflowInfo } from '@temporalio/workflow';
import { useConnectors } from '../../../workflows/framework/connectors';

/** One note per contact, one activity each, in order: the first failing write fails the run. */
export async function writeNotes(input: { channelId: string; contactIds: string[]; label: string }): Promise<string[]> {
  // Non-retryable answers fail the run at once; the tests fix the cause and retry the run.
  const { demoCrm } = useConnectors({ retry: { maximumAttempts: 1 } });
  const ids: string[] = [];
  for (const [index, contactId] of input.contactIds.entries()) {
    ids.push((await demoCrm.addContactNote(input.channelId, { contactId, text: `${input.label} #${index + 1}` })).id);
  }
  return ids;
}

/** The run ids a continue-as-new chain sees: each run's own, and the original run id it gets. */
export async function continueOnce(seen: Array<{ runId: string; originalRunId: string }> = []): Promise<Array<{ runId: string; originalRunId: string }>> {
  const info = workflowInfo();
  const all = [...seen, { runId: info.runId, originalRunId: info.originalExecutionRunId }];
  if (all.length < 2) return continueAsNew<typeof continueOnce>(all);
  return all;
}
