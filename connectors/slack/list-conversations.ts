import { z } from 'zod';
import { slack, SLACK_TIER_2 } from './application';
import { defineConnector } from '../framework/connector';
import { Conversation, Limit, nextCursor, ResponseMetadata, slackEvaluate } from './slack-response';

/** conversations.list (https://api.slack.com/methods/conversations.list), Tier 2; cursor pagination. */
export const listConversations = defineConnector({
  application: slack,
  name: 'listConversations',
  description: 'Conversations of the workspace, a page at a time (conversations.list)',
  input: z.object({
    types: z.string().optional().describe('Comma-separated: public_channel, private_channel, mpim, im (default public_channel)'),
    exclude_archived: z.boolean().optional(),
    limit: Limit,
    cursor: z.string().optional(),
  }),
  output: z.looseObject({ ok: z.literal(true), channels: z.array(Conversation), response_metadata: ResponseMetadata }),
  request: (input) => ({ method: 'GET', path: '/conversations.list', query: input }),
  evaluate: slackEvaluate('slack.listConversations'),
  rateLimit: SLACK_TIER_2,
  pagination: (p) => p.cursor({ param: 'cursor', next: nextCursor }),
});
