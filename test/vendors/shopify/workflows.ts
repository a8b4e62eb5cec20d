/**
 * The test's Shopify flows, bundled by a worker of the test's own (they are no flows of the
 * engine). `shopifyOrderRow` is what an `orders/create` delivery does in the order-to-sheet flow:
 * the order read back by id, and the row a spreadsheet would get; it also counts the shop's
 * orders page by page (Link page_info, one activity a page).
 */
import { workflowInfo } from '@temporalio/workflow';
import type { ShopifyOrder } from '../../../connectors/shopify';
import { useConnectors } from '../../../workflows/framework/connectors';
import type { WebhookFlowInput } from '../../../workflows/framework/inputs';

export interface OrderRow {
  row: Array<string | number>;
  orders: number;
  pages: number;
}

export async function shopifyOrderRow({ channelId, body }: WebhookFlowInput<ShopifyOrder>): Promise<OrderRow> {
  // This worker's own queue: the shopify calls run beside the flow.
  const { shopify } = useConnectors({ taskQueue: workflowInfo().taskQueue, retry: { maximumAttempts: 3, initialInterval: '100ms' } });
  const order = await shopify.getOrder(channelId, { orderId: body.id });
  const customer = [order.customer?.first_name, order.customer?.last_name].filter(Boolean).join(' ');
  const items = order.line_items.map((item) => `${item.quantity} × ${item.title}`).join(', ');
  let orders = 0;
  let pages = 0;
  for await (const page of shopify.listOrders.pages(channelId, { limit: 3 })) {
    orders += page.output.length;
    pages += 1;
  }
  return { row: [order.name, order.id, order.created_at, order.email ?? '', customer, order.total_price, order.currency, order.financial_status ?? '', items], orders, pages };
}

/** Only its subscription matters to the tests: a second topic, a second webhook at Shopify. */
export async function shopifyProductSeen({ body }: WebhookFlowInput<{ id: string }>): Promise<string> {
  return body.id;
}
