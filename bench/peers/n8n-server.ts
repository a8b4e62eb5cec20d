/**
 * n8n as the peer benchmark runs it, headless, with the order workflow imported and published:
 * - regular mode: one process, SQLite in its user folder (what a single-machine install runs);
 * - queue mode: main process + `n8n worker`, Redis for the queue and PostgreSQL for executions
 *   (n8n's own scaling set-up; with SQLite it loses executions to SQLITE_BUSY).
 * Executions are counted in its database (execution_entity): its REST API needs a login.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { Client as PgClient } from 'pg';
import { freePort } from '../../test/support/ports';
import { stopChild, waitFor } from '../support/processes';
import { N8N_ORDER_PATH, N8N_ORDER_WORKFLOW_ID, n8nOrderWorkflow } from './n8n-order-workflow';

const run = promisify(execFile);

export interface N8nServer {
  webhookUrl: string;
  /** Executions of the order workflow by status. */
  executions(): Promise<{ success: number; error: number; other: number }>;
  pids(): number[];
  stop(): Promise<void>;
}

export interface N8nOptions {
  bin: string;
  crmUrl: string;
  crmApiKey: string;
  /** Queue mode: Redis and PostgreSQL to use. */
  queue?: { redisPort: number; postgresUrl: string; workerConcurrency: number };
}

export async function startN8n(options: N8nOptions): Promise<N8nServer> {
  const folder = mkdtempSync(join(tmpdir(), 'engine-bench-n8n-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    N8N_USER_FOLDER: folder,
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_ENCRYPTION_KEY: 'peer-benchmark-not-a-secret',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_RUNNERS_MODE: 'internal',
    N8N_LOG_LEVEL: 'warn',
    ...(options.queue ? queueEnv(options.queue) : {}),
  };
  const workflowFile = join(folder, 'order-workflow.json');
  writeFileSync(workflowFile, JSON.stringify(n8nOrderWorkflow(options.crmUrl, options.crmApiKey)));
  await run(options.bin, ['import:workflow', `--input=${workflowFile}`], { env, maxBuffer: 16 * 2 ** 20 });
  await run(options.bin, ['publish:workflow', `--id=${N8N_ORDER_WORKFLOW_ID}`], { env, maxBuffer: 16 * 2 ** 20 });

  // Each process runs a task broker for its JS runner, on a port of its own.
  const children: ChildProcess[] = [spawnN8n(options.bin, ['start'], { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) })];
  if (options.queue) {
    const workerEnv = { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()), QUEUE_HEALTH_CHECK_ACTIVE: 'false' };
    children.push(spawnN8n(options.bin, ['worker', `--concurrency=${options.queue.workerConcurrency}`], workerEnv));
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${baseUrl}/healthz`)).status === 200, 180_000, `n8n on ${baseUrl}`, children);

  const executions = options.queue ? postgresExecutions(options.queue.postgresUrl) : sqliteExecutions(join(folder, '.n8n', 'database.sqlite'));
  return {
    webhookUrl: `${baseUrl}/webhook/${N8N_ORDER_PATH}`,
    executions,
    pids: () => children.map((child) => child.pid!).filter(Boolean),
    stop: async () => {
      await Promise.all(children.map(stopChild));
    },
  };
}

function queueEnv(queue: NonNullable<N8nOptions['queue']>): NodeJS.ProcessEnv {
  const url = new URL(queue.postgresUrl);
  return {
    EXECUTIONS_MODE: 'queue',
    QUEUE_BULL_REDIS_HOST: '127.0.0.1',
    QUEUE_BULL_REDIS_PORT: String(queue.redisPort),
    DB_TYPE: 'postgresdb',
    DB_POSTGRESDB_HOST: url.hostname,
    DB_POSTGRESDB_PORT: url.port,
    DB_POSTGRESDB_DATABASE: url.pathname.slice(1),
    DB_POSTGRESDB_USER: decodeURIComponent(url.username),
    DB_POSTGRESDB_PASSWORD: decodeURIComponent(url.password),
  };
}

function spawnN8n(bin: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal === null) console.error(`n8n ${args[0]} exited with ${code}:\n${tail}`);
  });
  return child;
}

type Counts = { success: number; error: number; other: number };
const tally = (rows: Array<{ status: string; n: number | string }>): Counts => {
  const counts: Counts = { success: 0, error: 0, other: 0 };
  for (const row of rows) {
    const key = row.status === 'success' || row.status === 'error' ? row.status : 'other';
    counts[key] += Number(row.n);
  }
  return counts;
};

function sqliteExecutions(file: string): () => Promise<Counts> {
  return async () => {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return tally(db.prepare('SELECT status, COUNT(*) AS n FROM execution_entity WHERE workflowId = ? GROUP BY status').all(N8N_ORDER_WORKFLOW_ID) as Array<{ status: string; n: number }>);
    } finally {
      db.close();
    }
  };
}

function postgresExecutions(url: string): () => Promise<Counts> {
  return async () => {
    const client = new PgClient({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT status, COUNT(*) AS n FROM execution_entity WHERE "workflowId" = $1 GROUP BY status', [N8N_ORDER_WORKFLOW_ID]);
      return tally(rows as Array<{ status: string; n: string }>);
    } finally {
      await client.end();
    }
  };
}
