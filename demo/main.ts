/**
 * The demo process: the CRM on DEMO_CRM_PORT and the mailer on DEMO_MAILER_PORT, plus a "shop"
 * and a "helpdesk" that send webhooks to the API now and then and users who edit contacts in
 * either tool, so the example flows have something to do right after start-up.
 */
import { orderPlacedExample } from '../workflows/order-placed.schema';
import { startDemoCrm } from './crm-server';
import { startDemoMailer } from './mailer-server';
import { loadEnvironment } from '../runtime/config/environment';
import { createLogger } from '../runtime/logger';

const log = createLogger('demo');

// Read and checked once: a bad value stops the start here, naming the variable.
const config = loadEnvironment();
const apiUrl = config.API_URL ?? `http://127.0.0.1:${config.PORT}`;
const intervalMs = config.DEMO_WEBHOOK_EVERY_MS;

async function post(path: string, body: unknown): Promise<void> {
  try {
    const res = await fetch(`${apiUrl}/webhooks/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    log.info({ status: res.status, requestId: res.headers.get('x-request-id') ?? undefined }, `POST /webhooks/${path} -> ${res.status} ${await res.text()}`);
  } catch (err) {
    log.warn(`POST /webhooks/${path} failed: ${(err as Error).message} (API not up yet?)`);
  }
}

async function main(): Promise<void> {
  const crm = await startDemoCrm({ port: config.DEMO_CRM_PORT, apiKey: config.DEMO_CRM_API_KEY });
  log.info(`CRM listening on ${crm.url}`);
  const mailer = await startDemoMailer({ port: config.DEMO_MAILER_PORT, apiToken: config.DEMO_MAILER_TOKEN });
  log.info(`mailer listening on ${mailer.url}`);

  let round = 0;
  const tick = async (): Promise<void> => {
    round += 1;
    await post('demo-crm/orders', { ...orderPlacedExample, orderId: `ord_${Date.now()}` });
    // Someone edits a contact in each tool now and then: the two-way sync carries it across.
    const contact = crm.contacts[round % crm.contacts.length];
    if (contact && round % 2 === 0) crm.changeContact(contact.id, { lastName: `${contact.lastName.split(' ')[0]} ${round}` });
    const member = [...mailer.contacts.keys()][round % Math.max(1, mailer.contacts.size)];
    if (member && round % 2 === 1) mailer.changeContact(member, { firstName: `Mailer${round}` });
    const ticketId = `T-${Math.ceil(round / 3)}`;
    const type = (['opened', 'commented', 'closed'] as const)[(round - 1) % 3];
    await post('demo-crm/ticket-events', { ticketId, contactId: 'c_1', type, text: `demo ${type}` });
  };
  setTimeout(() => void tick(), 5_000);
  const timer = setInterval(() => void tick(), intervalMs);

  const stop = (): void => {
    clearInterval(timer);
    void Promise.all([crm.close(), mailer.close()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  log.fatal({ err }, `fatal: ${(err as Error).message}`);
  process.exit(1);
});
