/**
 * The built API (`dist/api/main.js`) as its own process, as `npm start` runs it, on a given
 * Temporal and task queue: what a provider's webhooks reach, measured from outside, so the load
 * generator's work is not the API's. Edge rate limits far above what a bench sends.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey } from '../../store/credential-cipher';
import { freePort } from '../../test/support/ports';
import { stopChild, waitFor } from './processes';

export interface ApiProcess {
  url: string;
  stop(): Promise<void>;
}

export async function startApiProcess(options: { address: string; taskQueue: string; crmUrl: string; crmApiKey: string }): Promise<ApiProcess> {
  const port = await freePort();
  const unlimited = '1000000/10s';
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    PORT: String(port),
    TEMPORAL_ADDRESS: options.address,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'engine-bench-api-')),
    CREDENTIALS_KEYS: generateKey('bench-api'),
    ENGINE_API_KEY: randomBytes(32).toString('base64url'),
    CHANNEL_DEMO_CRM_SETTINGS: JSON.stringify({ baseUrl: options.crmUrl }),
    CHANNEL_DEMO_CRM_CREDENTIALS: JSON.stringify({ apiKey: options.crmApiKey }),
    EGRESS_ALLOW: new URL(options.crmUrl).host,
    API_RATE_LIMIT_PER_SOURCE: unlimited,
    API_RATE_LIMIT_PER_KEY: unlimited,
    WEBHOOK_RATE_LIMIT_PER_CHANNEL: unlimited,
    LOG_LEVEL: 'warn',
  };
  // e.g. BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof": the API's profile under the bench's load.
  const nodeArgs = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, join(__dirname, '..', '..', 'api', 'main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  // Any answer will do: with no worker on the bench's idle queue, /health says degraded.
  await waitFor(async () => (await fetch(`${url}/health`)).status > 0, 60_000, 'the API process', [child]);
  return { url, stop: () => stopChild(child) };
}
