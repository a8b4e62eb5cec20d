/**
 * The flow registry: which workflows exist and what triggers them. worker/ and api/ both read it.
 * Adding a flow = adding files: the workflow (`workflows/my-flow.ts`) and its registration beside it
 * (`workflows/my-flow.flow.ts`, `export default flow(myFlow, { … })`); `npm run generate` lists the
 * registrations in ./generated/flows.ts and the workflows in ./index (`npm run new -- flow` writes
 * both files). The example flows below are registered here, in one list, as before.
 */
import { demoSyncEvery } from '../runtime/config/environment';
import { demoCrm } from '../connectors/demo-crm/application';
import { demoMailer } from '../connectors/demo-mailer/application';
import { github } from '../connectors/github/application';
import { ShopifyOrder } from '../connectors/shopify';
import { shopify } from '../connectors/shopify/application';
import { stripe } from '../connectors/stripe/application';
import { hubspot } from '../connectors/hubspot/application';
import { inventoryV1 } from '../applications/inventory/openapi.types';
import { MailerContactEvent } from '../connectors/demo-mailer/schemas';
import { applyMailerChangeToCrm } from './apply-mailer-change-to-crm';
import { syncCrmContactsToMailer } from './sync-crm-contacts-to-mailer';
import { defineFlows, entityWebhook, flow, polling, webhook } from './framework/flow';
import { discoveredFlows } from './generated/flows';
import { unsigned } from './framework/webhook-verification';
import { githubIssueToSlack } from './github-issue-to-slack';
import { shopifyOrderToSheet } from './shopify-order-to-sheet';
import { shopifyOrderCreatedExample } from './shopify-order-to-sheet.schema';
import { GitHubIssuesEvent, githubIssuesOpenedExample } from './github-issue-to-slack.schema';
import { inventoryReorder } from './inventory-reorder';
import { StockChanged, stockChangedExample } from './inventory-reorder.schema';
import { orderPlaced } from './order-placed';
import { stripeInvoicePaidToHubSpot } from './stripe-invoice-to-hubspot';
import { StripeEvent, stripeInvoicePaidExample } from './stripe-invoice-to-hubspot.schema';
import { OrderPlaced, orderPlacedExample } from './order-placed.schema';
import { syncContactsToMailingList } from './sync-contacts-to-mailing-list';
import { syncHubSpotContactsToSheet } from './sync-hubspot-contacts-to-sheet';
import { ticketEventSignal, ticketLifecycle } from './ticket-lifecycle';
import { TicketEvent, ticketEventExample } from './ticket-lifecycle.schema';

export const flows = defineFlows([
  ...discoveredFlows,
  flow(syncContactsToMailingList, {
    application: demoCrm,
    description: 'Copies every CRM contact to the newsletter mailing list',
    trigger: polling({ every: demoSyncEvery() }),
  }),
  flow(orderPlaced, {
    application: demoCrm,
    description: "Puts a shop order on the customer's CRM timeline",
    // The demo shop signs nothing: an explicit opt-in, warned about when the worker and API start.
    trigger: webhook({ path: 'demo-crm/orders', body: OrderPlaced, example: orderPlacedExample, verification: unsigned() }),
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
      verification: unsigned(),
    }),
  }),
  // Two-way sync between the CRM and the mailer: one flow per direction.
  flow(syncCrmContactsToMailer, {
    application: demoMailer,
    description: "Mirrors CRM contact changes into the mailer (skipping the engine's own changes)",
    trigger: polling({ every: demoSyncEvery() }),
  }),
  flow(applyMailerChangeToCrm, {
    application: demoMailer,
    description: "Mirrors mailer contact changes into the CRM (skipping the engine's own changes)",
    trigger: webhook({
      path: 'demo-mailer/contact-events',
      body: MailerContactEvent,
      example: {
        id: 'evt_1',
        type: 'contact.updated',
        occurredAt: '2026-11-23T10:00:00.000Z',
        origin: 'user',
        contact: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', subscribed: true, updatedAt: '2026-11-23T10:00:00.000Z', version: 2, changedBy: 'user' },
      },
      // The mailer's event id is in the body its signature covers (its X-Mailer-Delivery header is not signed).
      deliveryId: { bodyField: 'id' },
    }),
  }),
  flow(githubIssueToSlack, {
    application: github,
    description: 'Posts each opened GitHub issue to the Slack conversation the GitHub channel names',
    // Signed with X-Hub-Signature-256; the delivery id is the signed body's hash.
    trigger: webhook({ path: 'github/issues', body: GitHubIssuesEvent, example: githubIssuesOpenedExample }),
  }),
  flow(shopifyOrderToSheet, {
    application: shopify,
    description: 'Appends each new Shopify order as a row to the Google Sheet the Shopify channel names',
    // The path names the topic Shopify subscribes (orders/create); signed with X-Shopify-Hmac-Sha256, deduplicated by the body's hash.
    trigger: webhook({ path: 'shopify/orders/create', body: ShopifyOrder, example: shopifyOrderCreatedExample, deliveryIdHeader: 'x-shopify-webhook-id' }),
  }),
  flow(stripeInvoicePaidToHubSpot, {
    application: stripe,
    description: "Moves each paid Stripe invoice's HubSpot deal to the stage the Stripe channel names, with a note of the payment",
    // Signed with Stripe-Signature; the delivery id is the event id.
    trigger: webhook({ path: 'stripe/invoices', body: StripeEvent, example: stripeInvoicePaidExample }),
  }),
  flow(syncHubSpotContactsToSheet, {
    application: hubspot,
    description: "Keeps HubSpot's contacts in the Google Sheet the HubSpot channel names, one row each, deletions included",
    // HubSpot's search sees a change a few seconds after it is made; every 15 minutes is well inside its limits.
    trigger: polling({ every: '15 minutes' }),
  }),
  // An imported application as a flow's application: committed under applications/inventory/ as
  // an OpenAPI document, named by the reference its generated types export (inventory@v1).
  flow(inventoryReorder, {
    application: inventoryV1,
    description: 'Reorders an item whose stock change takes it to its reorder point (the inventory, an imported application)',
    // Standard Webhooks signatures, as applications/inventory/application.yaml says; the signed webhook-id is the delivery id.
    trigger: webhook({ path: 'inventory/stock-changed', body: StockChanged, example: stockChangedExample }),
  }),
]);
