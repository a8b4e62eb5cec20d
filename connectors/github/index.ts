/** GitHub: personal/OAuth tokens or App installation tokens, Link pagination, x-ratelimit-* limits, signed repository hooks. */
import { defineIntegration } from '../framework/integration';
import { github } from './application';
import { createIssue } from './create-issue';
import { createIssueComment } from './create-issue-comment';
import { createRepositoryWebhook } from './create-repository-webhook';
import { deleteRepositoryWebhook } from './delete-repository-webhook';
import { getIssue } from './get-issue';
import { listRepositories } from './list-repositories';
import { listRepositoryIssues } from './list-repository-issues';

export { github };

export default defineIntegration(github, { listRepositoryIssues, getIssue, createIssue, createIssueComment, listRepositories, createRepositoryWebhook, deleteRepositoryWebhook });
