/**
 * Webhook flow: a shop reports an order; record it on the customer's CRM timeline, creating the
 * contact first when the CRM does not know the customer yet.
 */
import { useConnectors } from './framework/connectors';
import type { WebhookFlowInput } from './framework/inputs';
import type { OrderPlaced } from './order-placed.schema';

export async function orderPlaced({ channelId, body: order }: WebhookFlowInput<OrderPlaced>): Promise<{ contactId: string; noteId: string }> {
  const { demoCrm } = useConnectors();
  const [firstName = '', ...rest] = (order.customerName ?? '').split(' ');
  const contact =
    (await demoCrm.findContactByEmail(channelId, { email: order.customerEmail })) ??
    (await demoCrm.createContact(channelId, { email: order.customerEmail, firstName, lastName: rest.join(' ') }));
  const note = await demoCrm.addContactNote(channelId, {
    contactId: contact.id,
    text: `Order ${order.orderId} placed: ${order.total.toFixed(2)} ${order.currency}`,
  });
  return { contactId: contact.id, noteId: note.id };
}
