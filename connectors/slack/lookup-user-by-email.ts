import { z } from 'zod';
import { slack } from './application';
import { defineConnector } from '../framework/connector';
import { slackEvaluate, User } from './slack-response';

/** users.lookupByEmail (https://api.slack.com/methods/users.lookupByEmail), Tier 3; `users_not_found` is a final error. Scope users:read.email. */
export const lookupUserByEmail = defineConnector({
  application: slack,
  name: 'lookupUserByEmail',
  description: 'The workspace member with this e-mail address (users.lookupByEmail)',
  input: z.object({ email: z.email() }),
  output: z.looseObject({ ok: z.literal(true), user: User }),
  request: ({ email }) => ({ method: 'GET', path: '/users.lookupByEmail', query: { email } }),
  evaluate: slackEvaluate('slack.lookupUserByEmail'),
});
