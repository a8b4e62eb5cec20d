/**
 * Webhook flow: a shop reports an order; record it on the customer's CRM timeline, creating the
 * contact first when the CRM does not know the customer yet, and naming a contact the CRM knows
 * without a name.
 *
 * The naming step came after runs had started: it is the example of a change rolled out with
 * patched() (README, "Rolling out a changed flow"). test/histories/pre-patch/orderPlaced.json is
 * a run recorded before it, and workflows/order-placed.test.ts replays it against this code.
 */
import { patched } from '@temporalio/workflow';
import { useConnectors } from './framework/connectors';
import type { WebhookFlowInput } from './framework/inputs';
import type { OrderPlaced } from './order-placed.schema';

/**
 * The patch's id, recorded as a marker in the history of every run that took the new step. Never
 * reuse or rename it: runs in flight are matched on it.
 */
export const NAME_KNOWN_CONTACT = 'orderPlaced-name-known-contact';

/**
 * The second patch: connector calls as local activities (framework/connectors.ts says what that
 * changes). Runs that began with activities replay with activities.
 */
export const LOCAL_CONNECTOR_CALLS = 'orderPlaced-local-connector-calls';

export async function orderPlaced({ channelId, body: order }: WebhookFlowInput<OrderPlaced>): Promise<{ contactId: string; noteId: string }> {
  const { demoCrm } = useConnectors({ local: patched(LOCAL_CONNECTOR_CALLS) });
  const [firstName = '', ...rest] = (order.customerName ?? '').split(' ');
  const lastName = rest.join(' ');
  const found = await demoCrm.findContactByEmail(channelId, { email: order.customerEmail });
  const contact = found ?? (await demoCrm.createContact(channelId, { email: order.customerEmail, firstName, lastName }));
  // A run that passed this point before the change has no marker here, so patched() is false when
  // it is replayed and it goes on to the note, as its history says; a new run gets true and the
  // marker. Once no run from before the change can still be open, the next deploy puts
  // `deprecatePatch(NAME_KNOWN_CONTACT)` first in the block instead of this patched() call (new
  // runs then take the step with no check, and runs with the marker still replay); the deploy after
  // that, when no run with the marker is open either, deletes that line.
  if (found && !found.firstName && firstName && patched(NAME_KNOWN_CONTACT)) {
    await demoCrm.updateContact(channelId, { id: found.id, firstName, lastName });
  }
  const note = await demoCrm.addContactNote(channelId, {
    contactId: contact.id,
    text: `Order ${order.orderId} placed: ${order.total.toFixed(2)} ${order.currency}`,
  });
  return { contactId: contact.id, noteId: note.id };
}
