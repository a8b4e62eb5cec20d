/** Shopify: Admin API token on the shop's own host, Link page_info pages, the call-limit bucket, X-Shopify-Hmac-Sha256 webhooks subscribed per topic. */
import { defineIntegration } from '../framework/integration';
import { shopify } from './application';
import { createWebhook } from './create-webhook';
import { deleteWebhook } from './delete-webhook';
import { getOrder } from './get-order';
import { listCustomers } from './list-customers';
import { listOrders } from './list-orders';
import { listProducts } from './list-products';

export { shopify };
/** For flows: an order as the connectors and `orders/*` webhooks give it (a webhook flow's body schema), and the others. */
export { Order as ShopifyOrder, Customer as ShopifyCustomer, Product as ShopifyProduct } from './schemas';

export default defineIntegration(shopify, { listOrders, getOrder, listProducts, listCustomers, createWebhook, deleteWebhook });
