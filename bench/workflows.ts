/** Workflows for the flow-overhead benchmark: three connector calls (as activities or local ones), and the bare baseline. */
import { proxyActivities } from '@temporalio/workflow';
import { useConnectors } from '../workflows/framework/connectors';
import type * as baseline from './baseline-activities';

export async function threeConnectorCalls(input: { channelId: string; local?: boolean }): Promise<number> {
  const { demoCrm } = useConnectors({ local: input.local ?? false });
  const page = await demoCrm.listContacts(input.channelId, { page: 1, perPage: 5 });
  const contact = await demoCrm.findContactByEmail(input.channelId, { email: page.items[0]!.email });
  await demoCrm.upsertMailingListMember(input.channelId, { email: contact!.email, firstName: contact!.firstName, lastName: contact!.lastName, sourceId: contact!.id });
  return page.items.length;
}

const { fetchJson } = proxyActivities<typeof baseline>({ startToCloseTimeout: '1 minute' });

export async function threeBareFetches(input: { baseUrl: string; apiKey: string }): Promise<number> {
  const headers = { 'x-api-key': input.apiKey, accept: 'application/json' };
  const page = (await fetchJson(`${input.baseUrl}/api/contacts?page=1&perPage=5`, 'GET', headers)) as { items: Array<{ id: string; email: string; firstName: string; lastName: string }> };
  const first = page.items[0]!;
  await fetchJson(`${input.baseUrl}/api/contacts?email=${encodeURIComponent(first.email)}&perPage=1`, 'GET', headers);
  await fetchJson(`${input.baseUrl}/api/mailing-list/members/${encodeURIComponent(first.email)}`, 'PUT', headers, { firstName: first.firstName, lastName: first.lastName, sourceId: first.id });
  return page.items.length;
}
