import { z } from 'zod';
import { github } from './application';
import { defineConnector } from '../framework/connector';
import { evaluateGitHub } from './errors';
import { Hook, Owner, RepoName } from './schemas';

/** https://docs.github.com/rest/repos/webhooks#create-a-repository-webhook (a channel's webhook flows do this themselves when it is enabled). */
export const createRepositoryWebhook = defineConnector({
  application: github,
  name: 'createRepositoryWebhook',
  description: 'Register a repository hook that delivers the given events to a URL',
  input: z.object({
    owner: Owner,
    repo: RepoName,
    url: z.url(),
    events: z.array(z.string().min(1)).min(1).default(['push']),
    /** Signs the deliveries (X-Hub-Signature-256). */
    secret: z.string().min(1).optional(),
    active: z.boolean().default(true),
  }),
  output: Hook,
  request: ({ owner, repo, url, events, secret, active }) => ({
    method: 'POST',
    path: `/repos/${owner}/${repo}/hooks`,
    body: { name: 'web', active, events, config: { url, content_type: 'json', insecure_ssl: '0', ...(secret ? { secret } : {}) } },
  }),
  evaluate: evaluateGitHub('github.createRepositoryWebhook'),
});
