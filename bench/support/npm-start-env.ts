/** The environment `npm start`'s entry (dist/runtime/start.js) gets in the benchmarks: free ports, a fresh data folder, its own dev server. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test/support/ports';

export async function npmStartEnv(name: string): Promise<{ env: NodeJS.ProcessEnv; apiPort: number; temporalPort: number; crmPort: number }> {
  const [apiPort, temporalPort, uiPort, crmPort, mailerPort, metricsPort, sdkMetricsPort] = await Promise.all(Array.from({ length: 7 }, () => freePort()));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: mkdtempSync(join(tmpdir(), `engine-bench-${name}-`)),
    PORT: String(apiPort),
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    DEMO_CRM_PORT: String(crmPort),
    DEMO_MAILER_PORT: String(mailerPort),
    WORKER_METRICS_PORT: String(metricsPort),
    WORKER_SDK_METRICS_PORT: String(sdkMetricsPort),
  };
  // Its own dev server, not one the caller's environment points at.
  delete env.TEMPORAL_ADDRESS;
  return { env, apiPort, temporalPort, crmPort };
}
