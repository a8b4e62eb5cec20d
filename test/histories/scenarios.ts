/**
 * One scenario per flow for `npm run histories:record`: drives the engine the way its users do
 * (webhooks, the sync and action routes, channel changes, the demo services' own changes) and
 * names the completed run whose history is kept. Each takes the branch of its flow that matters
 * most: orderPlaced finds a contact the CRM knows without a name, the syncs copy records, the
 * mailer → CRM flow applies a real change rather than an echo.
 */
import { createHmac } from 'node:crypto';
import type { DemoMailer } from '../../demo/mailer-server';
import Stripe from 'stripe';
import { STRIPE_API_VERSION } from '../../connectors/stripe/application';
import { startFakeInventory } from '../applications/fake-inventory';
import { issuesOpenedExample, PERSONAL_TOKEN, startFakeGitHub } from '../vendors/github/fake-github';
import { startFakeHubSpot } from '../vendors/hubspot/fake-hubspot';
import { startSlackFake } from '../vendors/slack/slack-fake';
import { SHOPIFY_API_VERSION } from '../../connectors/shopify/application';
import { startFakeSheets } from '../vendors/google-sheets/fake-sheets';
import { exampleText, startFakeShopify } from '../vendors/shopify/fake-shopify';
import { exampleInvoice, startFakeStripe } from '../vendors/stripe/fake-stripe';
import { eventually, postJson, type TestSystem } from '../support/system';
import { scheduleIdFor } from '../../workflows/framework/flow';

export interface RecordingContext {
  system: TestSystem;
  mailer: DemoMailer;
  mailerToken: string;
  /** The demo-mailer channel, once the webhookSubscriptions scenario created it. */
  mailerChannelId?: string;
}

export interface RecordedRun {
  workflowId: string;
  runId: string;
}

type Scenario = (ctx: RecordingContext) => Promise<RecordedRun>;

const CRM_CHANNEL = 'demo-crm-default';
const MAILER_SECRET = 'history-webhook-secret-not-real';
const GITHUB_SECRET = 'history-github-secret-not-real';
const STRIPE_SECRET = 'whsec_history_stripe_secret_not_real';
const SHOPIFY_SECRET = 'history-shopify-secret-not-real';

/** What the routes used here answer (each a part of it). */
interface Answer {
  workflowId: string;
  runId: string;
  /** POST /channels: the new channel. */
  id: string;
  /** POST /channels/:id/sync: one run per polling flow. */
  workflows: Array<{ flow: string; workflowId: string }>;
}

async function post(ctx: RecordingContext, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await postJson(`${ctx.system.apiUrl}${path}`, body, headers);
  if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as Answer;
}

async function completed(ctx: RecordingContext, workflowId: string, runId?: string): Promise<RecordedRun> {
  const handle = ctx.system.client.workflow.getHandle(workflowId, runId);
  await handle.result();
  const { runId: lastRunId } = await handle.describe();
  return { workflowId, runId: lastRunId };
}

/** The run a manual sync of `channelId` started for `flow`. */
async function syncNow(ctx: RecordingContext, channelId: string, flow: string): Promise<RecordedRun> {
  const res = await post(ctx, `/channels/${channelId}/sync`, {});
  const run = res.workflows.find((w) => w.flow === flow);
  if (!run) throw new Error(`POST /channels/${channelId}/sync started no ${flow}: ${JSON.stringify(res)}`);
  return completed(ctx, run.workflowId);
}

/** Completed runs of one workflow type (the dev server is the script's own: only its runs). */
async function completedRuns(ctx: RecordingContext, flow: string): Promise<RecordedRun[]> {
  const runs: RecordedRun[] = [];
  for await (const run of ctx.system.client.workflow.list({ query: `WorkflowType = "${flow}" AND ExecutionStatus = "Completed"` })) runs.push({ workflowId: run.workflowId, runId: run.runId });
  return runs;
}

export const scenarios: Record<string, Scenario> = {
  async orderPlaced(ctx) {
    const email = 'history.customer@example.com';
    // The first order carries no name, so the CRM gets a contact without one; the second has it.
    const order = { orderId: 'ord_history_1', customerEmail: email, total: 12.5, currency: 'EUR' };
    const first = await post(ctx, '/webhooks/demo-crm/orders', order, { 'x-delivery-id': 'history-order-1' });
    await completed(ctx, first.workflowId);
    const second = await post(ctx, '/webhooks/demo-crm/orders', { ...order, orderId: 'ord_history_2', customerName: 'Hedy Lamarr' }, { 'x-delivery-id': 'history-order-2' });
    return completed(ctx, second.workflowId);
  },

  async ticketLifecycle(ctx) {
    let workflowId = '';
    for (const [n, type] of (['opened', 'commented', 'closed'] as const).entries()) {
      const res = await post(ctx, '/webhooks/demo-crm/ticket-events', { ticketId: 'T-history', contactId: 'c_1', type, text: `step ${n}` }, { 'x-delivery-id': `history-ticket-${n}` });
      workflowId = res.workflowId;
    }
    return completed(ctx, workflowId);
  },

  syncContactsToMailingList: (ctx) => syncNow(ctx, CRM_CHANNEL, 'syncContactsToMailingList'),

  async runAction(ctx) {
    const res = await post(ctx, '/applications/demo-crm/actions/listContacts/run', { channelId: CRM_CHANNEL, input: {} });
    return completed(ctx, res.workflowId, res.runId);
  },

  async webhookSubscriptions(ctx) {
    // Creating the channel subscribes its webhook through a webhookSubscriptions run.
    const res = await post(ctx, '/channels', {
      application: 'demo-mailer',
      name: 'history-newsletter',
      settings: { baseUrl: ctx.mailer.url, crmChannelId: CRM_CHANNEL },
      credentials: { apiToken: ctx.mailerToken, webhookSecret: MAILER_SECRET },
    });
    ctx.mailerChannelId = res.id;
    return eventually(async () => (await completedRuns(ctx, 'webhookSubscriptions'))[0], 30_000, 'the subscription run');
  },

  async syncCrmContactsToMailer(ctx) {
    // The first sync of the new channel: every CRM contact is copied to the mailer.
    const run = await syncNow(ctx, mailerChannel(ctx), 'syncCrmContactsToMailer');
    // The mailer sends each of those writes back as a webhook (echoes the next flow skips).
    await ctx.mailer.idle();
    return run;
  },

  async applyMailerChangeToCrm(ctx) {
    mailerChannel(ctx);
    const contact = ctx.system.crm.contacts[5]!;
    ctx.mailer.changeContact(contact.email, { firstName: 'Changed-In-Mailer' });
    await eventually(() => (ctx.system.crm.contacts.find((c) => c.id === contact.id)?.firstName === 'Changed-In-Mailer' ? true : undefined), 30_000, 'the CRM to take the mailer change');
    // Every echo of the engine's own writes is a run too: keep the one that applied the change.
    return eventually(
      async () => {
        for (const run of await completedRuns(ctx, 'applyMailerChangeToCrm')) {
          const outcome: unknown = await ctx.system.client.workflow.getHandle(run.workflowId, run.runId).result();
          if (typeof outcome === 'object' && outcome !== null && 'applied' in outcome) return run;
        }
        return undefined;
      },
      30_000,
      'the run that applied the mailer change',
    );
  },

  async githubIssueToSlack(ctx) {
    // GitHub's example issues.opened, signed as GitHub signs it, posted to Slack through the loopback fakes.
    const [github, slack] = await Promise.all([startFakeGitHub(), startSlackFake()]);
    try {
      const slackChannel = await post(ctx, '/channels', { application: 'slack', name: 'history-slack', settings: { baseUrl: slack.url }, credentials: { botToken: slack.token } });
      const githubChannel = await post(ctx, '/channels', {
        application: 'github',
        name: 'history-github',
        settings: { baseUrl: github.url, repository: 'octo-org/hello-world', slackChannelId: slackChannel.id, slackConversation: '#releases' },
        credentials: { token: PERSONAL_TOKEN, webhookSecret: GITHUB_SECRET },
      });
      const raw = JSON.stringify(issuesOpenedExample);
      const signature = `sha256=${createHmac('sha256', GITHUB_SECRET).update(raw).digest('hex')}`;
      const res = await fetch(`${ctx.system.apiUrl}/webhooks/github/issues/${githubChannel.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-hub-signature-256': signature },
        body: raw,
      });
      if (res.status !== 202) throw new Error(`the issues.opened delivery answered ${res.status}: ${await res.text()}`);
      return await completed(ctx, ((await res.json()) as Answer).workflowId);
    } finally {
      await Promise.all([github.close(), slack.close()]);
    }
  },
  async stripeInvoicePaidToHubSpot(ctx) {
    // An invoice.paid whose invoice has no deal id in its metadata: the deal is found by its property, moved and noted.
    const [stripe, hubspot] = await Promise.all([startFakeStripe({ apiVersion: STRIPE_API_VERSION }), startFakeHubSpot()]);
    try {
      hubspot.customProperties.deals.add('stripe_invoice_id');
      const invoice = exampleInvoice({ customer: 'cus_NffrFeUfNV2Hib', number: 'HIST-0001' });
      stripe.invoices.set(invoice.id, invoice);
      hubspot.seed('deals', { dealname: 'History deal', amount: '20', dealstage: 'contractsent', stripe_invoice_id: invoice.id });
      const hubspotChannel = await post(ctx, '/channels', { application: 'hubspot', name: 'history-hubspot', settings: { baseUrl: hubspot.url }, credentials: { accessToken: hubspot.token } });
      const stripeChannel = await post(ctx, '/channels', {
        application: 'stripe',
        name: 'history-stripe',
        settings: { baseUrl: stripe.url, hubspotChannelId: hubspotChannel.id, hubspotDealStage: 'closedwon', hubspotInvoiceProperty: 'stripe_invoice_id' },
        credentials: { secretKey: 'sk_test_history_not_real', webhookSecret: STRIPE_SECRET },
      });
      const payload = JSON.stringify({ id: 'evt_history_invoice_paid', object: 'event', type: 'invoice.paid', created: 1_765_000_000, data: { object: { id: invoice.id, object: 'invoice' } } });
      const signature = new Stripe('sk_test_unused').webhooks.generateTestHeaderString({ payload, secret: STRIPE_SECRET });
      const res = await fetch(`${ctx.system.apiUrl}/webhooks/stripe/invoices/${stripeChannel.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body: payload,
      });
      if (res.status !== 202) throw new Error(`the invoice.paid delivery answered ${res.status}: ${await res.text()}`);
      return await completed(ctx, ((await res.json()) as Answer).workflowId);
    } finally {
      await Promise.all([stripe.close(), hubspot.close()]);
    }
  },
  async shopifyOrderToSheet(ctx) {
    // Shopify's sample orders/create, signed as Shopify signs it, appended to a sheet that has only its header row.
    const [shop, sheets] = await Promise.all([startFakeShopify({ apiVersion: SHOPIFY_API_VERSION }), startFakeSheets()]);
    try {
      const spreadsheetId = 'historyOrdersSpreadsheet000000000000000000';
      sheets.addSpreadsheet(spreadsheetId, 'Orders', [{ title: 'Orders', rows: [['Order id', 'Order', 'Created', 'Customer', 'E-mail', 'Items', 'Total', 'Currency', 'Payment']] }]);
      const sheetsChannel = await post(ctx, '/channels', {
        application: 'google-sheets',
        name: 'history-sheets',
        settings: { baseUrl: sheets.apiUrl, spreadsheetId, sheet: 'Orders' },
        credentials: { serviceAccountKey: JSON.stringify(sheets.oauth.serviceAccount.keyFile) },
      });
      const shopChannel = await post(ctx, '/channels', {
        application: 'shopify',
        name: 'history-shopify',
        settings: { shop: shop.shop, baseUrl: shop.url, sheetsChannelId: sheetsChannel.id },
        credentials: { accessToken: [...shop.tokens][0]!, webhookSecret: SHOPIFY_SECRET },
      });
      const raw = exampleText('orders-create');
      const res = await fetch(`${ctx.system.apiUrl}/webhooks/shopify/orders/create/${shopChannel.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': createHmac('sha256', SHOPIFY_SECRET).update(raw).digest('base64') },
        body: raw,
      });
      if (res.status !== 202) throw new Error(`the orders/create delivery answered ${res.status}: ${await res.text()}`);
      return await completed(ctx, ((await res.json()) as Answer).workflowId);
    } finally {
      await Promise.all([shop.close(), sheets.close()]);
    }
  },
  async syncHubSpotContactsToSheet(ctx) {
    // Two contacts and one deleted, synced by the run the channel's schedule starts when it is created.
    const [hubspot, sheets] = await Promise.all([startFakeHubSpot(), startFakeSheets()]);
    try {
      const spreadsheetId = 'historyContactsSpreadsheet0000000000000000';
      sheets.addSpreadsheet(spreadsheetId, 'Contacts', [{ title: 'Contacts' }]);
      for (const name of ['Ada', 'Grace']) hubspot.seed('contacts', { email: `${name.toLowerCase()}@example.com`, firstname: name, lastname: 'History' }, { ageMs: 60_000 });
      hubspot.seed('contacts', { email: 'gone@example.com', firstname: 'Gone' }, { ageMs: 60_000, archived: true });
      const sheetsChannel = await post(ctx, '/channels', {
        application: 'google-sheets',
        name: 'history-contacts-sheet',
        settings: { baseUrl: sheets.apiUrl, spreadsheetId, sheet: 'Contacts' },
        credentials: { serviceAccountKey: JSON.stringify(sheets.oauth.serviceAccount.keyFile) },
      });
      const hubspotChannel = await post(ctx, '/channels', {
        application: 'hubspot',
        name: 'history-hubspot-contacts',
        settings: { baseUrl: hubspot.url, sheetsChannelId: sheetsChannel.id },
        credentials: { accessToken: hubspot.token },
      });
      const schedule = ctx.system.client.schedule.getHandle(scheduleIdFor('syncHubSpotContactsToSheet', hubspotChannel.id));
      const first = await eventually(async () => (await schedule.describe()).info.recentActions[0]?.action.workflow, 30_000, 'the first scheduled run');
      return await completed(ctx, first.workflowId);
    } finally {
      await Promise.all([hubspot.close(), sheets.close()]);
    }
  },
  async inventoryReorder(ctx) {
    // The committed inventory: a sale to the reorder point, its stock.changed signed as Standard Webhooks sign it.
    const inventory = await startFakeInventory();
    try {
      const secret = `whsec_${Buffer.from('history-inventory-secret').toString('base64')}`;
      const channel = await post(ctx, '/channels', {
        application: 'inventory@v1',
        name: 'history-inventory',
        settings: { baseUrl: inventory.url },
        credentials: { apiKey: inventory.apiKey, webhookSecret: secret },
      });
      const { event } = inventory.book('SKU-001', -18, 'sale');
      const res = await inventory.deliver(`${ctx.system.apiUrl}/webhooks/inventory/stock-changed/${channel.id}`, secret, event);
      if (res.status !== 202) throw new Error(`the stock.changed delivery answered ${res.status}: ${JSON.stringify(res.body)}`);
      return await completed(ctx, (res.body as Answer).workflowId);
    } finally {
      await inventory.close();
    }
  },
};

function mailerChannel(ctx: RecordingContext): string {
  if (!ctx.mailerChannelId) throw new Error('the webhookSubscriptions scenario creates the mailer channel: run it first');
  return ctx.mailerChannelId;
}
