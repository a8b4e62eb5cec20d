/**
 * Temporal as production runs it, on this machine: the server built from its Go module
 * (./install.ts) on PostgreSQL, each of its services (frontend, history, matching, worker) a
 * process of its own, in the roles and with the dynamic config docker-compose.temporal.yml gives
 * (./compose-shape.ts), so what is measured and tested here is what users deploy. For
 * `npm run bench -- cluster` and the kill tests (`npm run test:cluster`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { stringify } from 'yaml';
import { freePort, freePortBetween } from '../ports';
import { composeShape, type TemporalRole } from './compose-shape';
import { ensureTemporalServer, type TemporalServerInstall } from './install';

export interface TemporalCluster {
  /** The frontend's gRPC address, what TEMPORAL_ADDRESS names. */
  address: string;
  roles: TemporalRole[];
  pid(role: TemporalRole): number | undefined;
  /** Kills one service's process (SIGKILL: as a crashed host, nothing flushed). */
  kill(role: TemporalRole): Promise<void>;
  /** Starts a killed service again, on its ports and database. */
  restart(role: TemporalRole): void;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** A PostgreSQL URL whose user may create databases (the cluster makes `temporal` and `temporal_visibility`). */
  postgresUrl: string;
  namespace?: string;
  /** The `temporal` CLI, for creating the namespace. */
  cliPath: string;
  log?: (line: string) => void;
}

const DATABASES = { temporal: 'temporal', visibility: 'temporal_visibility' } as const;

function setUpDatabases(install: TemporalServerInstall, postgres: URL): void {
  const base = ['--plugin', 'postgres12', '--ep', postgres.hostname, '-p', postgres.port, '-u', decodeURIComponent(postgres.username), '--pw', decodeURIComponent(postgres.password)];
  for (const [schema, database] of Object.entries(DATABASES)) {
    const tool = (...args: string[]) => execFileSync(install.sqlTool, [...base, '--db', database, ...args], { stdio: 'pipe' });
    tool('create-database');
    tool('setup-schema', '-v', '0.0');
    tool('update-schema', '-d', join(install.postgresSchemas, schema, 'versioned'));
  }
}

async function serverConfig(postgres: URL, dynamicConfigFile: string) {
  const datastore = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: postgres.host,
      connectProtocol: 'tcp',
      user: decodeURIComponent(postgres.username),
      password: decodeURIComponent(postgres.password),
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  // Membership ports are kept in a smallint column: below 32768, where ephemeral ports do not go.
  const rpc = async () => ({ grpcPort: await freePort(), membershipPort: await freePortBetween(20_000, 32_000), bindOnLocalHost: true });
  const services = {
    frontend: { rpc: { ...(await rpc()), httpPort: await freePort() } },
    history: { rpc: await rpc() },
    matching: { rpc: await rpc() },
    worker: { rpc: await rpc() },
  };
  const frontend = `127.0.0.1:${services.frontend.rpc.grpcPort}`;
  return {
    frontend,
    config: {
      log: { stdout: true, level: 'warn' },
      persistence: {
        defaultStore: 'postgres-default',
        visibilityStore: 'postgres-visibility',
        // As docker-compose.temporal.yml (NUM_HISTORY_SHARDS): fixed when the cluster is created.
        numHistoryShards: 4,
        datastores: { 'postgres-default': datastore(DATABASES.temporal, 20), 'postgres-visibility': datastore(DATABASES.visibility, 4) },
      },
      global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
      services,
      clusterMetadata: {
        enableGlobalNamespace: false,
        failoverVersionIncrement: 10,
        masterClusterName: 'active',
        currentClusterName: 'active',
        clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: frontend } },
      },
      dcRedirectionPolicy: { policy: 'noop' },
      archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
      namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
      publicClient: { hostPort: frontend },
      dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
    },
  };
}

/** Until the frontend answers for the namespace: a new namespace reaches the services' caches within seconds. */
async function waitForNamespace(address: string, namespace: string, processes: Map<TemporalRole, ChildProcess>, output: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    for (const [role, child] of processes) if (child.exitCode !== null) throw new Error(`Temporal ${role} exited with ${child.exitCode}:\n${output()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.countWorkflowExecutions({ namespace, query: '' });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`the Temporal cluster did not serve namespace ${namespace} within 120 s (${(err as Error).message}):\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export async function startTemporalCluster(options: ClusterOptions): Promise<TemporalCluster> {
  const log = options.log ?? (() => undefined);
  const namespace = options.namespace ?? 'default';
  const install = ensureTemporalServer(log);
  const shape = composeShape();
  const postgres = new URL(options.postgresUrl);
  setUpDatabases(install, postgres);
  const dir = mkdtempSync(join(tmpdir(), 'engine-temporal-cluster-'));
  const dynamicConfigFile = join(dir, 'dynamicconfig.yaml');
  writeFileSync(dynamicConfigFile, shape.dynamicConfig);
  const { frontend, config } = await serverConfig(postgres, dynamicConfigFile);
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, stringify(config));

  let output = '';
  const processes = new Map<TemporalRole, ChildProcess>();
  const start = (role: TemporalRole) => {
    const child = spawn(install.server, ['--config-file', configFile, '--allow-no-auth', 'start', '--service', role], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => (output = (output + `[${role}] ${chunk.toString()}`).slice(-4_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    processes.set(role, child);
  };
  const stopped = (child: ChildProcess, signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill(signal);
    });
  const stop = async () => {
    // Frontend first, so clients stop reaching the services being stopped.
    for (const role of shape.roles) {
      const child = processes.get(role);
      if (child) await stopped(child, 'SIGTERM');
    }
  };
  try {
    for (const role of shape.roles) start(role);
    log(`Temporal ${shape.roles.join(', ')} starting on PostgreSQL ${postgres.host} (config ${configFile})`);
    // The namespace, as the compose file's temporal-namespace job creates it.
    const cli = (...args: string[]) => execFileSync(options.cliPath, [...args, '--address', frontend], { stdio: 'pipe' });
    const deadline = Date.now() + 120_000;
    for (;;) {
      try {
        cli('operator', 'cluster', 'health');
        break;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`the Temporal frontend did not become healthy within 120 s (${(err as Error).message}):\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    cli('operator', 'namespace', 'create', '--namespace', namespace, '--retention', '1d');
    await waitForNamespace(frontend, namespace, processes, () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    address: frontend,
    roles: shape.roles,
    pid: (role) => processes.get(role)?.pid,
    kill: async (role) => {
      const child = processes.get(role);
      if (child) await stopped(child, 'SIGKILL');
    },
    restart: (role) => start(role),
    stop,
  };
}
