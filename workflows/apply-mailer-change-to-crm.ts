/**
 * Two-way sync, mailer → CRM half: the mailer's webhook reports a changed contact; bring the
 * linked CRM contact in line. Our own writes to the mailer come back as events tagged with our
 * origin and are dropped here, and a change that leaves the CRM as it is writes nothing: no loop.
 */
import type { demoMailer } from '../connectors/demo-mailer/application';
import { ENGINE_ORIGIN } from '../connectors/framework/change-origin';
import type { MailerContactEvent } from '../connectors/demo-mailer/schemas';
import { useConnectors } from './framework/connectors';
import { settingsOf } from './framework/channel-settings';
import type { WebhookFlowInput } from './framework/inputs';

export type MirrorOutcome = { applied: 'created' | 'updated'; contactId: string } | { skipped: 'echo' | 'unchanged' | 'deleted' };

export async function applyMailerChangeToCrm({ channelId, body: event }: WebhookFlowInput<MailerContactEvent>): Promise<MirrorOutcome> {
  if (event.origin === ENGINE_ORIGIN) return { skipped: 'echo' };
  // Deleting in the mailer means "unsubscribed here", not "forget this person in the CRM".
  if (event.type === 'contact.deleted') return { skipped: 'deleted' };

  const { demoCrm } = useConnectors();
  const { crmChannelId } = await settingsOf<typeof demoMailer>(channelId);
  const { email, firstName, lastName } = event.contact;
  const existing = await demoCrm.findContactByEmail(crmChannelId, { email });
  if (!existing) {
    const created = await demoCrm.createContact(crmChannelId, { email, firstName, lastName });
    return { applied: 'created', contactId: created.id };
  }
  if (existing.firstName === firstName && existing.lastName === lastName) return { skipped: 'unchanged' };
  await demoCrm.updateContact(crmChannelId, { id: existing.id, firstName, lastName });
  return { applied: 'updated', contactId: existing.id };
}
