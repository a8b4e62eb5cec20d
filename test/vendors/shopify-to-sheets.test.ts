/**
 * The shopifyOrderToSheet example flow end to end, in the engine's default flow registry: a
 * Shopify channel (whose enabling subscribes `orders/create` at the loopback shop) and a Google
 * Sheets channel (a service account) created through the API, Shopify's own sample order signed
 * with @shopify/shopify-api's HMAC and posted to the webhook route; the engine's worker runs the
 * flow, which appends one row to the loopback spreadsheet, exactly once.
 */
import { randomUUID } from 'node:crypto';
import { SHOPIFY_API_VERSION } from '../../connectors/shopify/application';
import { postJson, startTestSystem, type TestSystem } from '../support/system';
import { startFakeSheets, type FakeSheets } from './google-sheets/fake-sheets';
import { createSHA256HMAC, HashFormat } from './shopify/shopify-sdk';
import { exampleText, startFakeShopify, type FakeShopify } from './shopify/fake-shopify';

const WEBHOOK_SECRET = `shpss_${randomUUID().replaceAll('-', '')}`;
const SPREADSHEET = '1OrdersSheetForTheShopifyFlow0000000000000';

let system: TestSystem;
let shop: FakeShopify;
let sheets: FakeSheets;
let shopifyChannelId: string;

beforeAll(async () => {
  [system, shop, sheets] = await Promise.all([startTestSystem(), startFakeShopify({ apiVersion: SHOPIFY_API_VERSION }), startFakeSheets()]);
  sheets.addSpreadsheet(SPREADSHEET, 'Shop orders', [{ title: 'Orders', rows: [['Order id', 'Order', 'Created', 'Customer', 'E-mail', 'Items', 'Total', 'Currency', 'Payment']] }]);
  const sheetsChannel = await postJson(`${system.apiUrl}/channels`, {
    application: 'google-sheets',
    name: `Orders sheet ${randomUUID().slice(0, 4)}`,
    settings: { baseUrl: sheets.apiUrl, spreadsheetId: SPREADSHEET, sheet: 'Orders' },
    credentials: { serviceAccountKey: JSON.stringify(sheets.oauth.serviceAccount.keyFile) },
  });
  expect(sheetsChannel.status).toBe(201);
  const shopChannel = await postJson(`${system.apiUrl}/channels`, {
    application: 'shopify',
    name: `Shop ${randomUUID().slice(0, 4)}`,
    settings: { shop: shop.shop, baseUrl: shop.url, sheetsChannelId: sheetsChannel.body.id },
    credentials: { accessToken: [...shop.tokens][0]!, webhookSecret: WEBHOOK_SECRET },
  });
  expect(shopChannel.status).toBe(201);
  shopifyChannelId = shopChannel.body.id;
});
afterAll(async () => {
  await Promise.all([system?.stop(), shop?.close(), sheets?.close()]);
});
afterEach(() => {
  expect(shop.violations).toEqual([]);
  expect(sheets.violations).toEqual([]);
});

const deliver = async (raw: string) =>
  fetch(`${system.apiUrl}/webhooks/shopify/orders/create/${shopifyChannelId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/create',
      // Shopify's signature by Shopify's library: base64 HMAC-SHA256 of the raw body with the app's secret.
      'x-shopify-hmac-sha256': await createSHA256HMAC(WEBHOOK_SECRET, raw, HashFormat.Base64),
      'x-shopify-shop-domain': `${shop.shop}.myshopify.com`,
      'x-shopify-webhook-id': randomUUID(),
    },
    body: raw,
  });

async function delivered(raw: string): Promise<unknown> {
  const res = await deliver(raw);
  expect(res.status).toBe(202);
  const { workflowId } = (await res.json()) as { workflowId: string };
  return system.client.workflow.getHandle(workflowId).result();
}

describe('shopifyOrderToSheet', () => {
  it('subscribed orders/create at the shop when the Shopify channel was enabled', () => {
    expect([...shop.webhooks.values()]).toEqual([expect.objectContaining({ topic: 'orders/create', address: `${system.apiUrl}/webhooks/shopify/orders/create/${shopifyChannelId}` })]);
  });

  it("appends Shopify's sample order as one row, its 64-bit id exact", async () => {
    const raw = exampleText('orders-create');
    expect(await delivered(raw)).toEqual({ appended: { range: 'Orders!A2:I2' } });
    const rows = sheets.values(SPREADSHEET, 'Orders');
    expect(rows).toHaveLength(2);
    const sample = JSON.parse(raw) as { name: string; email: string; total_price: string; currency: string };
    expect(rows[1]).toEqual([
      '820982911946154508',
      sample.name,
      expect.any(String),
      expect.any(String),
      sample.email,
      expect.stringContaining('×'),
      sample.total_price,
      sample.currency,
      expect.any(String),
    ]);
  });

  it('appends the same order only once, even delivered again with other bytes (Shopify resends)', async () => {
    // Other bytes, so not the same delivery to the webhook route: the flow runs again and finds the row.
    const resent = exampleText('orders-create').replace(/^\{/, '{"resent":true,');
    expect(await delivered(resent)).toEqual({ skipped: 'already-in-sheet' });
    expect(sheets.values(SPREADSHEET, 'Orders')).toHaveLength(2);
  });
});
