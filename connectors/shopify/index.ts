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
export { Order, type Order as ShopifyOrder, Customer, Product } from './schemas';

export default defineIntegration(shopify, { listOrders, getOrder, listProducts, listCustomers, createWebhook, deleteWebhook });
