/** Slack: a bot token, Slack's `ok: false` errors and cursor pagination, Events API webhooks with the v0 signature. */
import { defineIntegration } from '../framework/integration';
import { slack } from './application';
import { conversationHistory } from './conversation-history';
import { listConversations } from './list-conversations';
import { listUsers } from './list-users';
import { lookupUserByEmail } from './lookup-user-by-email';
import { postMessage } from './post-message';
import { updateMessage } from './update-message';

export { slack };

export default defineIntegration(slack, { postMessage, updateMessage, listConversations, conversationHistory, listUsers, lookupUserByEmail });
