/**
 * Two-way sync, CRM → mailer half: a polling flow per mailer channel reads the linked CRM
 * channel's change feed from its cursor and upserts each changed contact into the mailer. Changes
 * the engine itself made in the CRM (the other half writing back) carry our origin tag and are
 * skipped, so a change never bounces between the two. Writes are keyed by record version.
 */
import type { demoMailer } from '../applications/demo-mailer';
import { ENGINE_ORIGIN } from '../connectors/demo-mailer/origin';
import { useConnectors } from './framework/connectors';
import { settingsOf } from './framework/channel-settings';
import type { PollingFlowInput } from './framework/inputs';
import { advanceCursor, planSync } from './framework/polling';

export interface MirrorProgress {
  copied: number;
  /** Echoes of our own writes, not sent back. */
  skipped: number;
  cursor: string | null;
}

export async function syncCrmContactsToMailer(input: PollingFlowInput): Promise<MirrorProgress> {
  const { demoCrm, demoMailer: mailer } = useConnectors();
  const { crmChannelId } = await settingsOf<typeof demoMailer>(input.channelId);
  const plan = await planSync(input);
  const progress: MirrorProgress = { copied: 0, skipped: 0, cursor: plan.kind === 'incremental' ? plan.cursor : null };
  const first = plan.kind === 'incremental' ? { after: plan.cursor ?? undefined } : { updatedAfter: plan.from, updatedBefore: plan.to };

  for await (const page of demoCrm.listContactChanges.pages(crmChannelId, first)) {
    const changes = page.output.items.filter((contact) => !contact.deleted);
    const ours = changes.filter((contact) => contact.changedBy === ENGINE_ORIGIN);
    const theirs = changes.filter((contact) => contact.changedBy !== ENGINE_ORIGIN);
    await mailer.upsertContact.batch(
      input.channelId,
      theirs.map((contact) => ({ email: contact.email, firstName: contact.firstName, lastName: contact.lastName, sourceId: contact.id, sourceVersion: contact.updatedAt })),
    );
    progress.copied += theirs.length;
    progress.skipped += ours.length;
    progress.cursor = page.output.nextCursor;
    await advanceCursor(input, plan, page.output.nextCursor);
  }
  return progress;
}
