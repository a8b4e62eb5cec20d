import { z } from 'zod';
import { slack } from './application';
import { defineConnector } from '../framework/connector';
import { Blocks, Message, slackEvaluate } from './slack-response';

/** chat.update (https://api.slack.com/methods/chat.update), a JSON body. Tier 3. */
export const updateMessage = defineConnector({
  application: slack,
  name: 'updateMessage',
  description: 'Change a message the bot posted (chat.update)',
  input: z.object({
    channel: z.string().min(1).describe('Conversation id (C…) the message is in'),
    ts: z.string().min(1).describe("The message's timestamp, as chat.postMessage answered it"),
    text: z.string().min(1).max(40_000),
    blocks: Blocks,
  }),
  output: z.looseObject({ ok: z.literal(true), channel: z.string(), ts: z.string(), text: z.string().optional(), message: Message.partial().optional() }),
  request: (input) => ({ method: 'POST', path: '/chat.update', headers: { 'content-type': 'application/json; charset=utf-8' }, body: input }),
  evaluate: slackEvaluate('slack.updateMessage'),
});
