import { z } from 'zod';
import { github } from './application';
import { defineConnector } from '../framework/connector';
import { evaluateGitHub } from './errors';
import { Issue, Owner, RepoName } from './schemas';

/** https://docs.github.com/rest/issues/issues#create-an-issue */
export const createIssue = defineConnector({
  application: github,
  name: 'createIssue',
  description: 'Open an issue in a repository',
  input: z.object({
    owner: Owner,
    repo: RepoName,
    title: z.string().min(1),
    body: z.string().optional(),
    labels: z.array(z.string().min(1)).optional(),
    assignees: z.array(z.string().min(1)).optional(),
  }),
  output: Issue,
  request: ({ owner, repo, ...issue }) => ({ method: 'POST', path: `/repos/${owner}/${repo}/issues`, body: issue }),
  evaluate: evaluateGitHub('github.createIssue'),
});
