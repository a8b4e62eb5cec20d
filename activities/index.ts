/** The activities a worker registers, built around the dependencies they need. */
import { createRunConnectorActivity, createRunConnectorPageActivity, type RunConnectorDeps } from './run-connector';

export function createActivities(deps: RunConnectorDeps) {
  return { runConnector: createRunConnectorActivity(deps), runConnectorPage: createRunConnectorPageActivity(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
