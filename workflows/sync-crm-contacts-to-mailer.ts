/**
 * Two-way sync, CRM → mailer half: a polling flow per mailer channel reads the linked CRM
 * channel's change feed from its cursor and upserts each changed contact into the mailer. Changes
 * the engine itself made in the CRM (the other half writing back) carry our origin tag and are
 * skipped, so a change never bounces between the two. Writes are keyed by record version. Paging,
 * the cursor (kept for the mailer channel), progress and continue-as-new are `pollingSync`'s.
 */
import { patched } from '@temporalio/workflow';
import type { demoMailer } from '../connectors/demo-mailer/application';
import { ENGINE_ORIGIN } from '../connectors/framework/change-origin';
import { settingsOf } from './framework/channel-settings';
import { useConnectors } from './framework/connectors';
import { pollingSync, syncProgressQueryOf, type PollingSyncInput, type SyncProgress } from './framework/polling-sync';
import { crmContactChanges } from './sources/crm-contact-changes';

interface MirrorCounts {
  copied: number;
  /** Echoes of our own writes, not sent back. */
  skipped: number;
}

export type MirrorProgress = SyncProgress<MirrorCounts>;

export const mirrorProgressQuery = syncProgressQueryOf<MirrorCounts>();

/**
 * This flow read the whole feed in one run before it continued as new; a run of that code still in
 * flight at a deploy replays here without this patch's marker and must go on as it began.
 * deprecatePatch once no such run can be left (a sync lasts minutes).
 */
const CONTINUES_AS_NEW = 'sync-crm-contacts-to-mailer-continues-as-new';

export async function syncCrmContactsToMailer(input: PollingSyncInput<MirrorCounts>): Promise<MirrorProgress> {
  const continuesAsNew = patched(CONTINUES_AS_NEW);
  const mailer = useConnectors().demoMailer;
  const { crmChannelId } = await settingsOf<typeof demoMailer>(input.channelId);
  return pollingSync(input, {
    source: crmContactChanges(crmChannelId),
    counts: { copied: 0, skipped: 0 },
    async eachPage(changes) {
      const present = changes.filter((contact) => !contact.deleted);
      const theirs = present.filter((contact) => contact.changedBy !== ENGINE_ORIGIN);
      await mailer.upsertContact.batch(
        input.channelId,
        theirs.map((contact) => ({ email: contact.email, firstName: contact.firstName, lastName: contact.lastName, sourceId: contact.id, sourceVersion: contact.updatedAt })),
      );
      return { copied: theirs.length, skipped: present.length - theirs.length };
    },
    continueAsNew: continuesAsNew,
  });
}
