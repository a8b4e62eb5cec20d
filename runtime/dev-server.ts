/**
 * Starts the real Temporal dev server (`temporal server start-dev`) as a child process and waits
 * until its frontend answers. Used by `npm start`, the test setup and the benchmarks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { devServerSearchAttributeFlags } from './search-attributes';
import { waitForPort } from './wait-for-port';

/**
 * How the dev server's SQLite file is written, as `PRAGMA` name → value.
 * - `wal` + `full` (the default): every committed transaction is on disk before Temporal answers,
 *   even through a power loss; writers no longer block readers. Measured: 1.8× the starts per second
 *   of SQLite's defaults (bench/RESULTS.md, `npm run bench -- dev-server`).
 * - `wal` + `normal`: faster again, but a power loss (not a crash of the process) may undo the last
 *   transactions before a checkpoint: accepted webhooks could vanish. Not the default.
 * - `{}`: SQLite's own defaults (rollback journal, `synchronous=full`), as the CLI alone runs it.
 */
export type SqlitePragmas = Readonly<Record<string, string>>;
export const DURABLE_SQLITE_PRAGMAS: SqlitePragmas = { journal_mode: 'wal', synchronous: 'full' };

export interface DevServerOptions {
  cliPath: string;
  /** SQLite file; runs and schedules survive a restart on the same file. Omit for an in-memory server (nothing survives it). */
  dbFile: string | undefined;
  /** Default: DURABLE_SQLITE_PRAGMAS. */
  sqlitePragmas?: SqlitePragmas;
  ip?: string;
  port: number;
  /** Web UI port; omit for a headless server. */
  uiPort?: number;
  /** The Web UI asks this codec server to decode payloads (encrypted with PAYLOAD_CODEC_KEYS). */
  codecEndpoint?: string;
  namespace?: string;
  /** Where the server's own log lines go; default: dropped. */
  log?: (line: string) => void;
  readyTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  webUiUrl: string | undefined;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** A dev server spawned, with `serving` settling once it answers (rejecting, after stopping it, if it never does). */
export interface SpawnedDevServer extends DevServer {
  serving: Promise<void>;
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const { serving, ...server } = spawnDevServer(options);
  await serving;
  return server;
}

/**
 * Spawns the dev server without waiting for it: its address is known at once, so whatever will
 * connect to it (`npm start`'s worker and API, each seconds of module loading) can start beside it.
 */
export function spawnDevServer(options: DevServerOptions): SpawnedDevServer {
  const ip = options.ip ?? '127.0.0.1';
  if (options.dbFile) mkdirSync(dirname(options.dbFile), { recursive: true });
  const pragmas = Object.entries(options.dbFile ? (options.sqlitePragmas ?? DURABLE_SQLITE_PRAGMAS) : {});
  const args = [
    'server',
    'start-dev',
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
    ...pragmas.flatMap(([name, value]) => ['--sqlite-pragma', `${name}=${value}`]),
    '--ip',
    ip,
    '--port',
    String(options.port),
    '--log-level',
    'warn',
    ...(options.uiPort ? ['--ui-port', String(options.uiPort), '--ui-disable-news-fetch'] : ['--headless']),
    ...(options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : []),
    ...(options.namespace && options.namespace !== 'default' ? ['--namespace', options.namespace] : []),
    ...devServerSearchAttributeFlags(),
  ];
  // detached: Ctrl-C in a terminal reaches the server only through whoever started it, so it can stop last.
  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const log = options.log;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      if (log) for (const line of chunk.split('\n')) if (line.trim()) log(line);
    });
  }
  const address = `${ip}:${options.port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const serving = waitUntilServing(address, options.readyTimeoutMs ?? 60_000, exited).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { address, webUiUrl: options.uiPort ? `http://${ip}:${options.uiPort}` : undefined, process: child, stop, serving };
}

/**
 * Waits for the frontend's port to accept connections, then polls it until `getSystemInfo`
 * succeeds, the process exits, or time runs out. The port first: a gRPC call to a port nobody
 * listens on yet waits out its whole deadline, so polling with calls alone sees the server up to
 * a second late.
 */
export async function waitUntilServing(address: string, timeoutMs: number, exited?: Promise<number | null>): Promise<void> {
  let exitCode: number | null | undefined;
  void exited?.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  const { host, port } = hostAndPort(address);
  await waitForPort(port, { host, timeoutMs, intervalMs: 10, cancelled: () => exitCode !== undefined });
  // Loaded here, not at the top: `npm start` spawns the dev server before it loads the gRPC client.
  const { Connection } = await import('@temporalio/client');
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`temporal dev server exited with code ${exitCode} before serving on ${address}`);
    const connection = Connection.lazy({ address, connectTimeout: 1_000 });
    try {
      await connection.withDeadline(Date.now() + 1_000, () => connection.workflowService.getSystemInfo({}));
      return;
    } catch (err) {
      lastError = err;
    } finally {
      await connection.close();
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`temporal dev server on ${address} did not answer within ${timeoutMs} ms: ${lastError === undefined ? 'its port never accepted a connection' : String(lastError)}`);
}

function hostAndPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(address.slice(at + 1)) };
}
