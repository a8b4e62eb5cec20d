import { z } from 'zod';
import { github } from './application';
import { defineConnector } from '../framework/connector';
import { evaluateGitHub } from './errors';
import { Issue, Owner, RepoName } from './schemas';

/** https://docs.github.com/rest/issues/issues#list-repository-issues */
export const listRepositoryIssues = defineConnector({
  application: github,
  name: 'listRepositoryIssues',
  description: "One page of a repository's issues (pull requests included, as GitHub lists them), newest first",
  input: z.object({
    owner: Owner,
    repo: RepoName,
    state: z.enum(['open', 'closed', 'all']).default('open'),
    labels: z.array(z.string().min(1)).optional(),
    /** Only issues updated at or after this time (ISO 8601). */
    since: z.iso.datetime({ offset: true }).optional(),
    sort: z.enum(['created', 'updated', 'comments']).default('created'),
    direction: z.enum(['asc', 'desc']).default('desc'),
    perPage: z.number().int().min(1).max(100).default(30),
  }),
  output: z.array(Issue),
  request: ({ owner, repo, state, labels, since, sort, direction, perPage }) => ({
    method: 'GET',
    path: `/repos/${owner}/${repo}/issues`,
    query: { state, sort, direction, per_page: perPage, ...(labels?.length ? { labels: labels.join(',') } : {}), ...(since ? { since } : {}) },
  }),
  evaluate: evaluateGitHub('github.listRepositoryIssues'),
  pagination: (p) => p.linkHeader(),
});
