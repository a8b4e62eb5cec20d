/**
 * Which build of the flows a worker runs, for Temporal's Worker Versioning (README, "Rolling out a
 * changed flow"). Read from the environment once, in worker/main.ts:
 *
 * - `WORKER_BUILD_ID` alone: the build id is recorded on every workflow task the worker completes
 *   (the Web UI and `temporal workflow describe` show which build ran what); tasks are routed as
 *   without it.
 * - with `WORKER_DEPLOYMENT_NAME`: the worker joins Worker Versioning as version
 *   `<deployment>.<build id>`. It gets tasks once that version is made current or ramping
 *   (`temporal worker deployment set-current-version`), and runs started on another version stay
 *   there or move on as their versioning behavior says: `WORKER_VERSIONING_BEHAVIOR`, `PINNED`
 *   (a run finishes on the build it started on) or `AUTO_UPGRADE` (the default: it moves to the
 *   current version, so changes still need patched()).
 */
import type { WorkerDeploymentOptions } from '@temporalio/worker';
import type { Env } from '../runtime/config/environment';

const BEHAVIORS = ['PINNED', 'AUTO_UPGRADE'] as const;
type Behavior = (typeof BEHAVIORS)[number];

/** The deployment name a worker without WORKER_DEPLOYMENT_NAME reports its build id under. */
export const UNVERSIONED_DEPLOYMENT = 'integration-engine';

export function workerDeploymentFromEnv(env: Env): WorkerDeploymentOptions | undefined {
  const buildId = env.WORKER_BUILD_ID?.trim();
  const deploymentName = env.WORKER_DEPLOYMENT_NAME?.trim();
  const behavior = env.WORKER_VERSIONING_BEHAVIOR?.trim();
  if (!buildId) {
    if (deploymentName || behavior) throw new Error('WORKER_DEPLOYMENT_NAME and WORKER_VERSIONING_BEHAVIOR need WORKER_BUILD_ID (e.g. the git commit of the build)');
    return undefined;
  }
  if (!deploymentName) {
    if (behavior) throw new Error('WORKER_VERSIONING_BEHAVIOR needs WORKER_DEPLOYMENT_NAME: without it the worker is not versioned');
    return { version: { deploymentName: UNVERSIONED_DEPLOYMENT, buildId }, useWorkerVersioning: false };
  }
  if (behavior !== undefined && !isBehavior(behavior)) throw new Error(`WORKER_VERSIONING_BEHAVIOR=${behavior} is not one of ${BEHAVIORS.join(', ')}`);
  return { version: { deploymentName, buildId }, useWorkerVersioning: true, defaultVersioningBehavior: behavior ?? 'AUTO_UPGRADE' };
}

function isBehavior(value: string): value is Behavior {
  return (BEHAVIORS as readonly string[]).includes(value);
}

/** For the start-up log: which build, and whether Temporal routes tasks by it. */
export function describeDeployment(deployment: WorkerDeploymentOptions): string {
  const { buildId, deploymentName } = deployment.version;
  return deployment.useWorkerVersioning
    ? `build ${buildId} of deployment ${deploymentName}, versioned, ${deployment.defaultVersioningBehavior} by default`
    : `build ${buildId} (recorded, not versioned)`;
}
