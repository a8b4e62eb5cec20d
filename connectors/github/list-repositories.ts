import { z } from 'zod';
import { github } from './application';
import { defineConnector } from '../framework/connector';
import { evaluateGitHub } from './errors';
import { Repository } from './schemas';

/** https://docs.github.com/rest/repos/repos#list-repositories-for-the-authenticated-user (a personal or OAuth token; an App installation lists with /installation/repositories) */
export const listRepositories = defineConnector({
  application: github,
  name: 'listRepositories',
  description: 'One page of the repositories the authenticated user can reach',
  input: z.object({
    visibility: z.enum(['all', 'public', 'private']).default('all'),
    affiliation: z.array(z.enum(['owner', 'collaborator', 'organization_member'])).optional(),
    sort: z.enum(['created', 'updated', 'pushed', 'full_name']).default('full_name'),
    perPage: z.number().int().min(1).max(100).default(30),
  }),
  output: z.array(Repository),
  request: ({ visibility, affiliation, sort, perPage }) => ({
    method: 'GET',
    path: '/user/repos',
    query: { visibility, sort, per_page: perPage, ...(affiliation?.length ? { affiliation: affiliation.join(',') } : {}) },
  }),
  evaluate: evaluateGitHub('github.listRepositories'),
  pagination: (p) => p.linkHeader(),
});
