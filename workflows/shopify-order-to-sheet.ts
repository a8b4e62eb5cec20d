/**
 * A Shopify order created → a row appended to a Google Sheet. The Shopify channel's settings name
 * the Google Sheets channel (`sheetsChannelId`) and the sheet (`ordersSheet`, else that channel's
 * `sheet`). Column A holds the order id: an order already there is not appended again, since
 * Sheets has no idempotency keys and Shopify resends a webhook it thinks was lost.
 */
import type { ShopifyOrder } from '../connectors/shopify';
import type { shopify } from '../connectors/shopify/application';
import type { googleSheets } from '../connectors/google-sheets/application';
import { settingsOf } from './framework/channel-settings';
import { useConnectors } from './framework/connectors';
import type { WebhookFlowInput } from './framework/inputs';

export type OrderToSheetOutcome = { appended: { range: string } } | { skipped: 'no-sheets-channel' | 'already-in-sheet' };

/** The row's columns: id, number, created, customer, e-mail, items, total, currency, payment status. */
function orderRow(order: ShopifyOrder): string[] {
  const customer = [order.customer?.first_name, order.customer?.last_name].filter(Boolean).join(' ');
  const items = order.line_items.map((item) => `${item.quantity} × ${item.title}`).join(', ');
  return [order.id, order.name, order.created_at, customer, order.email ?? '', items, order.total_price, order.currency, order.financial_status ?? ''];
}

export async function shopifyOrderToSheet({ channelId, body: order }: WebhookFlowInput<ShopifyOrder>): Promise<OrderToSheetOutcome> {
  const { sheetsChannelId, ordersSheet } = await settingsOf<typeof shopify>(channelId);
  if (!sheetsChannelId) return { skipped: 'no-sheets-channel' };
  const sheet = ordersSheet ?? (await settingsOf<typeof googleSheets>(sheetsChannelId)).sheet;

  const { googleSheets: sheets } = useConnectors();
  for await (const block of sheets.getValues.pages(sheetsChannelId, { sheet, columns: 'A' })) {
    if (block.output.values.some(([id]) => String(id) === order.id)) return { skipped: 'already-in-sheet' };
  }
  // RAW: Shopify's values as they are (an id past 2^53 stays exact, "#1001" is no formula).
  const appended = await sheets.appendValues(sheetsChannelId, { sheet, values: [orderRow(order)], valueInputOption: 'RAW' });
  return { appended: { range: appended.updates.updatedRange ?? appended.tableRange ?? '' } };
}
