/** The activities a worker registers, built around the dependencies they need. */
import type { SyncCursorStore } from '../store/sync-cursor-store';
import { createRunConnectorActivity, createRunConnectorBatchActivity, createRunConnectorPageActivity, type RunConnectorDeps } from './run-connector';
import { createSyncCursorActivities } from './sync-cursor';

export interface ActivityDeps extends RunConnectorDeps {
  cursors: SyncCursorStore;
}

export function createActivities(deps: ActivityDeps) {
  return {
    runConnector: createRunConnectorActivity(deps),
    runConnectorPage: createRunConnectorPageActivity(deps),
    runConnectorBatch: createRunConnectorBatchActivity(deps),
    ...createSyncCursorActivities(deps.cursors),
  };
}

export type Activities = ReturnType<typeof createActivities>;
