/**
 * `npm run bench`: each benchmark against a baseline measured in the same run on the same
 * Temporal, printed as a table and written to bench/results/<name>.json.
 * Pick some with `npm run bench -- webhook-ingest flow-overhead startup`. `peers` (the engine
 * beside n8n, which it installs on first use) and `cluster` (the webhook and flow benchmarks on
 * Temporal as production runs it, beside the dev server; built on first use) run only when named:
 * `npm run bench -- peers`, `npm run bench -- cluster`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { seedEnvChannels } from '../channels/env-channels';
import { ConnectorRegistry } from '../connectors/registry';
import { startDemoCrm } from '../demo/crm-server';
import { generateKey } from '../store/credential-cipher';
import { openStore, type Store } from '../store/open-store';
import { devServerPersistence } from './dev-server-persistence';
import { flowOverhead } from './flow-overhead';
import { peers } from './peers/peers';
import { pollingSync } from './polling-sync';
import { startup } from './startup';
import { storeReads } from './store-reads';
import { benchTemporal, machine, table, writeResult } from './support/harness';
import { clusterBench } from './cluster';
import { webhookIngest } from './webhook-ingest';

export interface BenchContext {
  address: string;
  client: Client;
  store: Store;
  registry: ConnectorRegistry;
  /** A task queue no worker polls: runs are accepted, not executed. */
  idleTaskQueue: string;
  crmUrl: string;
  crmApiKey: string;
}

async function main(): Promise<void> {
  // Every service a benchmark talks to is on loopback, which the egress policy refuses by default.
  process.env.EGRESS_ALLOW = [process.env.EGRESS_ALLOW, '127.0.0.1'].filter(Boolean).join(',');
  const wanted = new Set(process.argv.slice(2));
  const want = (name: string) => wanted.size === 0 || wanted.has(name);
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });
  console.log(`machine: ${machine()}\n`);
  // On its own systems, before the others' Temporal and API are up: nothing else runs beside it.
  if (wanted.has('peers')) {
    await report('peers', () => peers());
    wanted.delete('peers');
    if (wanted.size === 0) return;
  }

  // Temporal as production runs it (separate services on PostgreSQL), beside the dev server.
  if (wanted.has('cluster')) {
    await report('cluster', () => clusterBench(withBenchContext));
    wanted.delete('cluster');
    if (wanted.size === 0) return;
  }

  const temporal = await benchTemporal();
  try {
    await withBenchContext(temporal.address, async (ctx) => {
      const benches: Array<[string, Bench]> = [
        ['webhook-ingest', () => webhookIngest(ctx)],
        ['flow-overhead', () => flowOverhead(ctx)],
        ['polling-sync', () => pollingSync(ctx)],
        ['store-reads', () => storeReads()],
        ['startup', () => startup()],
        ['dev-server', () => devServerPersistence()],
      ];
      for (const [name, bench] of benches) if (want(name)) await report(name, bench);
    });
  } finally {
    await temporal.stop();
  }
}

/** A store with the demo channel and a demo CRM, and a client of the Temporal at `address`, for `use`; closed after it. (webhook-ingest starts the built API itself.) */
export async function withBenchContext<T>(address: string, use: (ctx: BenchContext) => Promise<T>): Promise<T> {
  const crmApiKey = 'bench-key';
  const crm = await startDemoCrm({ apiKey: crmApiKey, contacts: 50 });
  const store = await openStore(mkdtempSync(join(tmpdir(), 'engine-bench-store-')), () => undefined, { CREDENTIALS_KEYS: generateKey('bench') });
  const registry = new ConnectorRegistry(store.imported);
  await seedEnvChannels(store.channels, registry, { CHANNEL_DEMO_CRM_SETTINGS: JSON.stringify({ baseUrl: crm.url }), CHANNEL_DEMO_CRM_CREDENTIALS: JSON.stringify({ apiKey: crmApiKey }) });
  const connection = Connection.lazy({ address });
  const client = new Client({ connection });
  const idleTaskQueue = 'bench-idle';
  try {
    return await use({ address, client, store, registry, idleTaskQueue, crmUrl: crm.url, crmApiKey });
  } finally {
    await connection.close();
    await store.close();
    await crm.close();
  }
}

/** A goal is either a ratio to reach (`target`) or one to stay under (`targetAtMost`, e.g. start-up time). */
function targetText(goal: { target?: unknown; targetAtMost?: unknown }): string {
  if (typeof goal.target === 'number') return ` (target ≥ ${goal.target})`;
  if (typeof goal.targetAtMost === 'number') return ` (target ≤ ${goal.targetAtMost})`;
  return '';
}

/** A goal beside a bench's headline ratio, measured in the same run (peers: CPU per flow against n8n's). */
export interface OtherGoal {
  label: string;
  ratio: number;
  target?: number;
  targetAtMost?: number;
}

type Bench = () => Promise<{ rows: Array<Record<string, string | number>>; result: Record<string, unknown>; otherGoals?: OtherGoal[] }>;

async function report(name: string, bench: Bench): Promise<void> {
  console.log(`## ${name}`);
  const { rows, result, otherGoals = [] } = await bench();
  console.log(table(rows));
  if (typeof result.ratio === 'number') console.log(`ratio: ${result.ratio.toFixed(2)}${targetText(result)}`);
  for (const goal of otherGoals) console.log(`${goal.label} ratio: ${goal.ratio.toFixed(2)}${targetText(goal)}`);
  console.log(`written: ${writeResult(name, result)}\n`);
}

main().then(
  // The Temporal runtime's native threads can keep the loop alive after everything closed.
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
