import { z } from 'zod';
import { slack, SLACK_TIER_2 } from './application';
import { defineConnector } from '../framework/connector';
import { Limit, nextCursor, ResponseMetadata, slackEvaluate, User } from './slack-response';

/** users.list (https://api.slack.com/methods/users.list), Tier 2; cursor pagination. */
export const listUsers = defineConnector({
  application: slack,
  name: 'listUsers',
  description: 'Members of the workspace, a page at a time (users.list)',
  input: z.object({ limit: Limit, cursor: z.string().optional() }),
  output: z.looseObject({ ok: z.literal(true), members: z.array(User), response_metadata: ResponseMetadata }),
  request: (input) => ({ method: 'GET', path: '/users.list', query: input }),
  evaluate: slackEvaluate('slack.listUsers'),
  rateLimit: SLACK_TIER_2,
  pagination: (p) => p.cursor({ param: 'cursor', next: nextCursor }),
});
