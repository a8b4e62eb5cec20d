/**
 * The flow registry: which workflows exist and what triggers them. worker/ and api/ both read it.
 * Adding a flow = writing the workflow file, exporting it from ./index, and adding a line here.
 */
import type { Duration } from '@temporalio/common';
import { demoCrm } from '../applications/demo-crm';
import { defineFlows, entityWebhook, flow, polling, webhook } from './framework/flow';
import { orderPlaced } from './order-placed';
import { OrderPlaced, orderPlacedExample } from './order-placed.schema';
import { syncContactsToMailingList } from './sync-contacts-to-mailing-list';
import { ticketEventSignal, ticketLifecycle } from './ticket-lifecycle';
import { TicketEvent, ticketEventExample } from './ticket-lifecycle.schema';

export const flows = defineFlows([
  flow(syncContactsToMailingList, {
    application: demoCrm,
    description: 'Copies every CRM contact to the newsletter mailing list',
    trigger: polling({ every: (process.env.DEMO_SYNC_EVERY as Duration | undefined) ?? '5m' }),
  }),
  flow(orderPlaced, {
    application: demoCrm,
    description: "Puts a shop order on the customer's CRM timeline",
    trigger: webhook({ path: 'demo-crm/orders', body: OrderPlaced, example: orderPlacedExample }),
  }),
  flow(ticketLifecycle, {
    application: demoCrm,
    description: 'Follows a support ticket from opened to closed, one workflow per ticket',
    trigger: entityWebhook({
      path: 'demo-crm/ticket-events',
      body: TicketEvent,
      example: ticketEventExample,
      signal: ticketEventSignal,
      entityId: (event) => event.ticketId,
    }),
  }),
]);
