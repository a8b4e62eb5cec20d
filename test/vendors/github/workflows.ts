/**
 * The test's GitHub flow, bundled by a worker of the test's own (it is no flow of the engine): an
 * issue opened, as GitHub delivers `issues.opened`, is read back, the repository's open issues are
 * counted page by page (Link pagination, one activity a page), and the issue gets a comment.
 */
import { workflowInfo } from '@temporalio/workflow';
import { useConnectors } from '../../../workflows/framework/connectors';
import type { WebhookFlowInput } from '../../../workflows/framework/inputs';

export interface IssuesOpened {
  action: string;
  issue: { number: number; title: string };
  repository: { full_name: string };
}

export async function triageOpenedIssue({ channelId, body }: WebhookFlowInput<IssuesOpened>): Promise<{ commentId: number; openIssues: number; pages: number }> {
  // This worker's own queue: the github calls run beside the flow.
  const { github } = useConnectors({ taskQueue: workflowInfo().taskQueue, retry: { maximumAttempts: 3, initialInterval: '100ms' } });
  const [owner = '', repo = ''] = body.repository.full_name.split('/');
  const issue = await github.getIssue(channelId, { owner, repo, issueNumber: body.issue.number });
  let openIssues = 0;
  let pages = 0;
  for await (const page of github.listRepositoryIssues.pages(channelId, { owner, repo, perPage: 3 })) {
    openIssues += page.output.filter((i) => !i.pull_request).length;
    pages += 1;
  }
  const comment = await github.createIssueComment(channelId, { owner, repo, issueNumber: issue.number, body: `Triaged "${issue.title}": ${openIssues} open issues in ${owner}/${repo}.` });
  return { commentId: comment.id, openIssues, pages };
}
