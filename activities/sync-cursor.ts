/**
 * Load and save a polling flow's cursor per channel. Thin on purpose: the workflow decides when a
 * cursor may advance (after its records were processed); these only read and write the store.
 */
import type { SyncCursorStore } from '../store/sync-cursor-store';

export interface SyncCursorRef {
  channelId: string;
  flow: string;
}

export function createSyncCursorActivities(cursors: SyncCursorStore) {
  return {
    async loadSyncCursor(ref: SyncCursorRef): Promise<string | null> {
      return (await cursors.get(ref.channelId, ref.flow))?.cursor ?? null;
    },
    async saveSyncCursor(ref: SyncCursorRef & { cursor: string }): Promise<void> {
      await cursors.save(ref.channelId, ref.flow, ref.cursor);
    },
  };
}
