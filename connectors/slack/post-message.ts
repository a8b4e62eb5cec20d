import { z } from 'zod';
import { slack } from './application';
import { defineConnector } from '../framework/connector';
import { Blocks, Message, slackEvaluate } from './slack-response';

/** chat.postMessage (https://api.slack.com/methods/chat.postMessage), a JSON body. Scope chat:write. */
export const postMessage = defineConnector({
  application: slack,
  name: 'postMessage',
  description: 'Post a message to a conversation (chat.postMessage)',
  input: z.object({
    channel: z.string().min(1).describe('Conversation id (C…), or a public channel name (#general)'),
    text: z.string().min(1).max(40_000).describe('Message text (mrkdwn); the notification fallback when blocks are given'),
    blocks: Blocks,
    thread_ts: z.string().optional().describe('Reply in the thread of this message'),
    unfurl_links: z.boolean().optional(),
  }),
  output: z.looseObject({ ok: z.literal(true), channel: z.string(), ts: z.string(), message: Message.optional() }),
  request: (input) => ({ method: 'POST', path: '/chat.postMessage', headers: { 'content-type': 'application/json; charset=utf-8' }, body: input }),
  evaluate: slackEvaluate('slack.postMessage'),
});
