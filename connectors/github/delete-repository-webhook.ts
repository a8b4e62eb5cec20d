import { z } from 'zod';
import { github } from './application';
import { defineConnector } from '../framework/connector';
import { evaluateGitHub } from './errors';
import { Owner, RepoName } from './schemas';

/** https://docs.github.com/rest/repos/webhooks#delete-a-repository-webhook */
export const deleteRepositoryWebhook = defineConnector({
  application: github,
  name: 'deleteRepositoryWebhook',
  description: 'Remove a repository hook',
  input: z.object({ owner: Owner, repo: RepoName, hookId: z.number().int().min(1) }),
  output: z.object({ deleted: z.literal(true) }),
  request: ({ owner, repo, hookId }) => ({ method: 'DELETE', path: `/repos/${owner}/${repo}/hooks/${hookId}` }),
  // 204 No Content.
  evaluate: (response, defaults) => (evaluateGitHub('github.deleteRepositoryWebhook')(response, defaults), { deleted: true as const }),
});
