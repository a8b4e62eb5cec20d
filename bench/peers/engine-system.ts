/**
 * The engine as a user starts it for the peer benchmark: `npm start`'s entry (dev server, worker,
 * API and the demo CRM), on free ports and a fresh data folder. Finished flows are counted in
 * Temporal's visibility.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { npmStartEnv } from '../support/npm-start-env';
import { stopChild, waitFor } from '../support/processes';

export interface EngineSystem {
  webhookUrl: string;
  crmUrl: string;
  crmApiKey: string;
  /** orderPlaced runs by outcome. */
  runs(): Promise<{ completed: number; failed: number; running: number }>;
  pids(): number[];
  stop(): Promise<void>;
}

export async function startEngine(extraEnv: NodeJS.ProcessEnv = {}): Promise<EngineSystem> {
  const { env: base, apiPort, temporalPort, crmPort } = await npmStartEnv('peers');
  // Made per run: it only ever reaches the demo CRM this run starts.
  const crmApiKey = randomBytes(18).toString('base64url');
  // The demo's own order webhooks (every 30 s by default) would be counted with the bench's.
  const env: NodeJS.ProcessEnv = { ...base, DEMO_CRM_API_KEY: crmApiKey, DEMO_WEBHOOK_EVERY_MS: String(24 * 3600_000), LOG_LEVEL: 'warn', ...extraEnv };
  const child = spawn(process.execPath, [join(__dirname, '..', '..', 'runtime', 'start.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal === null) console.error(`the engine exited with ${code}:\n${tail}`);
  });
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await waitFor(async () => (await fetch(`${apiUrl}/health`)).status === 200, 180_000, 'the engine (npm start)', [child]);
  const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
  const client = new Client({ connection });
  const count = async (status: string) => (await client.workflow.count(`WorkflowType = 'orderPlaced' AND ExecutionStatus = '${status}'`)).count;
  return {
    webhookUrl: `${apiUrl}/webhooks/demo-crm/orders`,
    crmUrl: `http://127.0.0.1:${crmPort}`,
    crmApiKey,
    runs: async () => {
      const [completed, failed, running] = await Promise.all([count('Completed'), count('Failed'), count('Running')]);
      return { completed, failed, running };
    },
    pids: () => [child.pid!],
    stop: async () => {
      await connection.close();
      await stopChild(child);
    },
  };
}
