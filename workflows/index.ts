/** The workflow bundle's entry: every flow function the worker runs. */
export { syncContactsToMailingList } from './sync-contacts-to-mailing-list';
export { orderPlaced } from './order-placed';
export { ticketLifecycle } from './ticket-lifecycle';
export { runAction } from './run-action';
