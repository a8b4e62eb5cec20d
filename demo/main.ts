/**
 * The demo process: the CRM on DEMO_CRM_PORT, plus a "shop" and a "helpdesk" that send webhooks
 * to the API now and then, so the example flows have something to do right after start-up.
 */
import { orderPlacedExample } from '../workflows/order-placed.schema';
import { startDemoCrm } from './crm-server';

const apiUrl = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
const intervalMs = Number(process.env.DEMO_WEBHOOK_EVERY_MS ?? 30_000);

async function post(path: string, body: unknown): Promise<void> {
  try {
    const res = await fetch(`${apiUrl}/webhooks/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    console.log(`[demo] POST /webhooks/${path} -> ${res.status} ${await res.text()}`);
  } catch (err) {
    console.log(`[demo] POST /webhooks/${path} failed: ${(err as Error).message} (API not up yet?)`);
  }
}

async function main(): Promise<void> {
  const crm = await startDemoCrm({ port: Number(process.env.DEMO_CRM_PORT ?? 4010), apiKey: process.env.DEMO_CRM_API_KEY ?? 'demo-api-key' });
  console.log(`[demo] CRM listening on ${crm.url}`);

  let round = 0;
  const tick = async (): Promise<void> => {
    round += 1;
    await post('demo-crm/orders', { ...orderPlacedExample, orderId: `ord_${Date.now()}` });
    const ticketId = `T-${Math.ceil(round / 3)}`;
    const type = (['opened', 'commented', 'closed'] as const)[(round - 1) % 3];
    await post('demo-crm/ticket-events', { ticketId, contactId: 'c_1', type, text: `demo ${type}` });
  };
  setTimeout(() => void tick(), 5_000);
  const timer = setInterval(() => void tick(), intervalMs);

  const stop = (): void => {
    clearInterval(timer);
    void crm.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error('[demo] fatal:', err);
  process.exit(1);
});
