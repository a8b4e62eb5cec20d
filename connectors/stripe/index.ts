/** Stripe: its application and every connector of it, one file each. */
import { defineIntegration } from '../framework/integration';
import { stripe } from './application';
import { createCustomer } from './create-customer';
import { createWebhookEndpoint } from './create-webhook-endpoint';
import { deleteWebhookEndpoint } from './delete-webhook-endpoint';
import { listCustomers } from './list-customers';
import { listInvoices } from './list-invoices';
import { listPaymentIntents } from './list-payment-intents';
import { retrieveCustomer } from './retrieve-customer';
import { retrieveInvoice } from './retrieve-invoice';

export { stripe };

export default defineIntegration(stripe, { retrieveInvoice, retrieveCustomer, listCustomers, createCustomer, listInvoices, listPaymentIntents, createWebhookEndpoint, deleteWebhookEndpoint });
