/**
 * The test's HubSpot flow, bundled by a worker of the test's own (it is no flow of the engine): a
 * batch of contact events, as HubSpot delivers it, is read back contact by contact, then the
 * contacts changed since the oldest event are read page by page (search, sorted by
 * lastmodifieddate) and the archived ones page by page (list with archived=true), one activity a
 * page, as an incremental sync does.
 */
import { workflowInfo } from '@temporalio/workflow';
import { useConnectors } from '../../../workflows/framework/connectors';
import type { WebhookFlowInput } from '../../../workflows/framework/inputs';

export interface ContactEvent {
  eventId: number;
  subscriptionType: string;
  objectId: number;
  occurredAt: number;
}

export async function readChangedContacts({ channelId, body }: WebhookFlowInput<ContactEvent[]>): Promise<{ emails: string[]; changed: string[]; pages: number; archived: string[] }> {
  // This worker's own queue: the hubspot calls run beside the flow.
  const { hubspot } = useConnectors({ taskQueue: workflowInfo().taskQueue, retry: { maximumAttempts: 3, initialInterval: '100ms' } });
  const emails: string[] = [];
  for (const event of body.filter((e) => e.subscriptionType.startsWith('contact.'))) {
    const contact = await hubspot.getContact(channelId, { contactId: String(event.objectId), properties: ['email'] });
    emails.push(contact.properties.email ?? '');
  }
  const since = new Date(Math.min(...body.map((e) => e.occurredAt))).toISOString();
  const changed: string[] = [];
  let pages = 0;
  for await (const page of hubspot.searchContacts.pages(channelId, { modifiedSince: since, properties: ['email'], limit: 2 })) {
    changed.push(...page.output.results.map((c) => c.properties.email ?? ''));
    pages += 1;
  }
  const archived: string[] = [];
  for await (const page of hubspot.listContacts.pages(channelId, { archived: true, limit: 1, properties: ['email'] })) archived.push(...page.output.results.map((c) => c.id));
  return { emails, changed, pages, archived };
}
