/** The workflow bundle's entry: every flow function the worker runs. */
export { syncContactsToMailingList } from './sync-contacts-to-mailing-list';
export { orderPlaced } from './order-placed';
export { ticketLifecycle } from './ticket-lifecycle';
export { runAction } from './run-action';
export { webhookSubscriptions } from './webhook-subscriptions';
export { syncCrmContactsToMailer } from './sync-crm-contacts-to-mailer';
export { applyMailerChangeToCrm } from './apply-mailer-change-to-crm';
