/**
 * A Stripe invoice paid → its HubSpot deal moved to a stage, with a note. The Stripe channel's
 * settings name the HubSpot channel (`hubspotChannelId`) and the stage (`hubspotDealStage`). The
 * deal is the invoice's `metadata.hubspot_deal_id`, else the one deal whose property named by
 * `hubspotInvoiceProperty` holds the invoice id. Every other event is acknowledged and does nothing.
 */
import type { stripe } from '../connectors/stripe/application';
import { settingsOf } from './framework/channel-settings';
import { useConnectors } from './framework/connectors';
import type { WebhookFlowInput } from './framework/inputs';
import type { StripeEvent } from './stripe-invoice-to-hubspot.schema';

export type InvoicePaidOutcome = { moved: { dealId: string; stage: string; noteId: string } } | { skipped: 'not-invoice-paid' | 'no-hubspot-channel' | 'no-deal' | 'several-deals' };

export async function stripeInvoicePaidToHubSpot({ channelId, body: event }: WebhookFlowInput<StripeEvent>): Promise<InvoicePaidOutcome> {
  if (event.type !== 'invoice.paid') return { skipped: 'not-invoice-paid' };
  const { hubspotChannelId, hubspotDealStage: stage, hubspotInvoiceProperty } = await settingsOf<typeof stripe>(channelId);
  if (!hubspotChannelId || !stage) return { skipped: 'no-hubspot-channel' };
  const { stripe: stripeApi, hubspot } = useConnectors();
  const invoice = await stripeApi.retrieveInvoice(channelId, { invoiceId: event.data.object.id });
  let dealId = invoice.metadata?.hubspot_deal_id;
  if (!dealId && hubspotInvoiceProperty) {
    const found = await hubspot.searchDeals(hubspotChannelId, { filters: [{ propertyName: hubspotInvoiceProperty, operator: 'EQ', value: invoice.id }], limit: 2 });
    if (found.total > 1) return { skipped: 'several-deals' };
    dealId = found.results[0]?.id;
  }
  if (!dealId) return { skipped: 'no-deal' };

  await hubspot.updateDeal(hubspotChannelId, { dealId, dealstage: stage });
  const name = escapeHtml(invoice.number ?? invoice.id);
  const link = invoice.hosted_invoice_url ? `<a href="${escapeHtml(invoice.hosted_invoice_url)}">${name}</a>` : name;
  const body = `<p>Stripe invoice ${link} paid: ${formatAmount(invoice.amount_paid, invoice.currency)}</p>`;
  const note = await hubspot.createDealNote(hubspotChannelId, { dealId, body, timestamp: new Date(event.created * 1000).toISOString() });
  return { moved: { dealId, stage, noteId: note.id } };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Stripe amounts are in the currency's smallest unit (https://docs.stripe.com/currencies#zero-decimal). */
function formatAmount(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  const decimals = /^(BIF|CLP|DJF|GNF|JPY|KMF|KRW|MGA|PYG|RWF|UGX|VND|VUV|XAF|XOF|XPF)$/.test(code) ? 0 : /^(BHD|JOD|KWD|OMR|TND)$/.test(code) ? 3 : 2;
  return `${(amount / 10 ** decimals).toFixed(decimals)} ${code}`;
}
