import { z } from 'zod';
import { github } from './application';
import { defineConnector } from '../framework/connector';
import { evaluateGitHub } from './errors';
import { IssueComment, Owner, RepoName } from './schemas';

/** https://docs.github.com/rest/issues/comments#create-an-issue-comment */
export const createIssueComment = defineConnector({
  application: github,
  name: 'createIssueComment',
  description: 'Comment on an issue or pull request',
  input: z.object({ owner: Owner, repo: RepoName, issueNumber: z.number().int().min(1), body: z.string().min(1) }),
  output: IssueComment,
  request: ({ owner, repo, issueNumber, body }) => ({ method: 'POST', path: `/repos/${owner}/${repo}/issues/${issueNumber}/comments`, body: { body } }),
  evaluate: evaluateGitHub('github.createIssueComment'),
});
