/**
 * The dev server's SQLite settings: bare `client.workflow.start` calls (no worker) against a fresh
 * server per setting, two alternating rounds each, best kept. Ratio = the embedded default
 * (DURABLE_SQLITE_PRAGMAS) ÷ SQLite's own defaults, the way the CLI runs alone.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DURABLE_SQLITE_PRAGMAS, startDevServer, type SqlitePragmas } from '../runtime/dev-server';
import { ensureTemporalCli } from '../runtime/temporal-cli';
import { freePort } from '../test/support/ports';
import { orderPlacedExample } from '../workflows/order-placed.schema';
import { percentile, runConcurrently } from './support/harness';

interface Setting {
  name: string;
  /** undefined: in memory, no file. */
  pragmas: SqlitePragmas | undefined;
  durability: string;
}

const SETTINGS: Setting[] = [
  { name: 'SQLite defaults (rollback journal, synchronous=full)', pragmas: {}, durability: 'survives power loss' },
  { name: 'journal_mode=wal, synchronous=full (the default)', pragmas: DURABLE_SQLITE_PRAGMAS, durability: 'survives power loss' },
  { name: 'journal_mode=wal, synchronous=normal', pragmas: { journal_mode: 'wal', synchronous: 'normal' }, durability: 'survives a crash; a power loss may undo the last commits' },
  { name: 'in memory', pragmas: undefined, durability: 'nothing survives a restart' },
];

async function startsPerSecond(setting: Setting, n: number, concurrency: number) {
  const dbFile = setting.pragmas ? join(mkdtempSync(join(tmpdir(), 'engine-bench-sqlite-')), 'temporal.sqlite') : undefined;
  const server = await startDevServer({ cliPath: ensureTemporalCli(), dbFile, sqlitePragmas: setting.pragmas, port: await freePort() });
  const connection = await Connection.connect({ address: server.address });
  try {
    const client = new Client({ connection });
    const start = async () => {
      await client.workflow.start('orderPlaced', {
        taskQueue: 'bench-idle',
        workflowId: `bare/${randomUUID()}`,
        args: [{ channelId: 'demo-crm-default', deliveryId: randomUUID(), body: orderPlacedExample }],
      });
    };
    await runConcurrently(100, concurrency, start);
    const run = await runConcurrently(n, concurrency, start);
    return { perSecond: n / run.seconds, p99: percentile(run.latencies, 99) };
  } finally {
    await connection.close();
    await server.stop();
  }
}

export async function devServerPersistence(n = Number(process.env.BENCH_STARTS ?? 1000), concurrency = 50) {
  const rounds = new Map<string, Array<{ perSecond: number; p99: number }>>();
  for (let round = 0; round < 2; round++) {
    for (const setting of round === 0 ? SETTINGS : [...SETTINGS].reverse()) {
      rounds.set(setting.name, [...(rounds.get(setting.name) ?? []), await startsPerSecond(setting, n, concurrency)]);
    }
  }
  const best = (name: string) => rounds.get(name)!.reduce((a, b) => (a.perSecond > b.perSecond ? a : b));
  const baseline = best(SETTINGS[0]!.name).perSecond;
  const chosen = best(SETTINGS[1]!.name).perSecond;
  return {
    rows: SETTINGS.map((setting) => ({
      setting: setting.name,
      'starts/s': best(setting.name).perSecond.toFixed(0),
      'p99 ms': best(setting.name).p99.toFixed(0),
      '× defaults': (best(setting.name).perSecond / baseline).toFixed(2),
      durability: setting.durability,
    })),
    result: { n, concurrency, ratio: chosen / baseline, settings: Object.fromEntries(SETTINGS.map((setting) => [setting.name, rounds.get(setting.name)])) },
  };
}
