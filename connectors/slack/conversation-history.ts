import { z } from 'zod';
import { slack } from './application';
import { defineConnector } from '../framework/connector';
import { Limit, Message, nextCursor, ResponseMetadata, slackEvaluate } from './slack-response';

/** conversations.history (https://api.slack.com/methods/conversations.history), Tier 3; newest first, cursor pagination. */
export const conversationHistory = defineConnector({
  application: slack,
  name: 'conversationHistory',
  description: 'Messages of a conversation, newest first, a page at a time (conversations.history)',
  input: z.object({
    channel: z.string().min(1).describe('Conversation id (C…)'),
    oldest: z.string().optional().describe('Only messages after this timestamp'),
    latest: z.string().optional().describe('Only messages before this timestamp'),
    inclusive: z.boolean().optional(),
    limit: Limit,
    cursor: z.string().optional(),
  }),
  output: z.looseObject({ ok: z.literal(true), messages: z.array(Message), has_more: z.boolean().optional(), response_metadata: ResponseMetadata }),
  request: (input) => ({ method: 'GET', path: '/conversations.history', query: input }),
  evaluate: slackEvaluate('slack.conversationHistory'),
  pagination: (p) => p.cursor({ param: 'cursor', next: nextCursor }),
});
