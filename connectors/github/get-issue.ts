import { z } from 'zod';
import { github } from './application';
import { defineConnector } from '../framework/connector';
import { evaluateGitHub } from './errors';
import { Issue, Owner, RepoName } from './schemas';

/** https://docs.github.com/rest/issues/issues#get-an-issue */
export const getIssue = defineConnector({
  application: github,
  name: 'getIssue',
  description: 'One issue by its number',
  input: z.object({ owner: Owner, repo: RepoName, issueNumber: z.number().int().min(1) }),
  output: Issue,
  request: ({ owner, repo, issueNumber }) => ({ method: 'GET', path: `/repos/${owner}/${repo}/issues/${issueNumber}` }),
  evaluate: evaluateGitHub('github.getIssue'),
});
