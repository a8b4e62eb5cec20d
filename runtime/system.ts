/**
 * The whole system on one machine, as `npm start` (./start.ts) and `npm run dev` (./dev.ts) run it.
 * Without TEMPORAL_ADDRESS it starts the real Temporal dev server on a SQLite file under .data/
 * (Web UI on 8233); then the demo CRM (unless DEMO=0), the worker and the API. Ctrl-C stops
 * everything in order.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrapApiKey, type BootstrapKey } from './bootstrap-api-key';
import { dataDir as dataDirFromEnv } from './data-dir';
import { spawnDevServer, type DevServer } from './dev-server';
import { claimPidFile } from './pid-file';
import { createLogger, logFormatFromEnv } from './logger';
import { processPrefix, Supervisor } from './supervisor';
import { ensureTemporalCli, projectRoot } from './temporal-cli';
import { temporalSettingsFromEnv } from './temporal-config';
import { waitForWorker } from './wait-for-health';
import { waitForPort } from './wait-for-port';
import { loadEnvironment, processEnv } from './config/environment';
import { systemEgressAllow } from './system-egress';
import { workerNodeArgs } from './worker-node-args';

// Human-readable under `npm start` unless LOG_FORMAT says json; the children log the same way.
const logFormat = processEnv().LOG_FORMAT ? logFormatFromEnv() : 'pretty';
const logger = createLogger('start', undefined, { format: logFormat, prefix: processPrefix('start') });
const log = (line: string): void => logger.info(line);
// The dev server's own lines (its banner, then warnings: --log-level warn) become lines of this logger, named temporal.
const temporalLog = createLogger('temporal', undefined, { format: logFormat, prefix: processPrefix('temporal') });

/** The processes `restart` may restart: what a change of the code is in. The dev server and the demo go on. */
export const CODE_PROCESSES = ['worker', 'api'] as const;

export interface SystemOptions {
  /** The command, as the user typed it, for messages. */
  command: string;
  /** Once the system is up (after the banner): `npm run dev` starts watching here. */
  onReady?: (system: RunningSystem) => void | Promise<void>;
  /**
   * What a worker or API that dies does: stop everything (`npm start`: a crash should be seen, not
   * hidden), or wait for the next change of the code to start them again (`npm run dev`, where a
   * change that throws at start-up is a thing to fix, not a reason to stop the dev server).
   */
  codeCrash?: 'stop' | 'wait-for-change';
}

export interface RunningSystem {
  /** Stops and starts the worker and the API again, from dist/ as it is now; returns their new pids. */
  restartCode(): Promise<Record<(typeof CODE_PROCESSES)[number], number | undefined>>;
  /** Waits until GET /health says a worker polls ('ok'), or gives up ('degraded'), as the start does. */
  ready(): Promise<'ok' | 'degraded'>;
  /** The pids of the system's processes, by name (`temporal` when the dev server was started here). */
  pids(): Record<string, number | undefined>;
  log(line: string): void;
  warn(line: string): void;
  /** Ctrl-C's way out: stops everything, then exits. */
  shutdown(exitCode: number): Promise<void>;
}

let shuttingDown = false;
let devServer: DevServer | undefined;
let codeCrash: SystemOptions['codeCrash'] = 'stop';
const supervisor = new Supervisor(
  (name, code, signal) => {
    if (codeCrash === 'wait-for-change' && (CODE_PROCESSES as readonly string[]).includes(name)) {
      logger.error(`${name} exited (${signal ?? `code ${code}`}): see its lines above; the next change that compiles starts it again`);
      return;
    }
    logger.error(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
    void shutdown(1);
  },
  { prefix: logFormat === 'pretty' },
);

async function shutdown(exitCode: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  log('stopping…');
  await supervisor.stopAll();
  await devServer?.stop();
  log('stopped');
  process.exit(exitCode);
}

async function main(options: SystemOptions): Promise<void> {
  const startedAt = Date.now();
  codeCrash = options.codeCrash ?? 'stop';
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
  // Read and checked once: a bad value stops the start here, naming the variable.
  const config = loadEnvironment();
  const { env: parentEnv } = config;
  const settings = temporalSettingsFromEnv(parentEnv);
  const dataDir = dataDirFromEnv(parentEnv);
  const port = config.PORT;
  const demo = config.DEMO;
  mkdirSync(dataDir, { recursive: true });
  // Before anything starts: a second system on the same data folder would fight the first one.
  const running = claimPidFile(dataDir);
  if (running) {
    logger.error(`already running from this folder (pid ${running}, ${join(dataDir, 'start.pid')}): stop it with "npm stop" or Ctrl-C where it runs, then ${options.command} again`);
    process.exit(1);
  }
  const bootstrap: BootstrapKey | undefined = config.ENGINE_API_KEY || config.NODE_ENV === 'production' ? undefined : bootstrapApiKey(dataDir);

  let address = settings.address;
  let webUiUrl = settings.webUiUrl;
  let devServerServing: Promise<void> | undefined;
  if (!address) {
    const cliPath = ensureTemporalCli(log, parentEnv);
    const temporalPort = config.TEMPORAL_PORT;
    const uiPort = config.TEMPORAL_UI_PORT;
    log(`starting the Temporal dev server (${cliPath}) on 127.0.0.1:${temporalPort}, state in ${join(dataDir, 'temporal.sqlite')}`);
    // Spawned, not awaited: the demo, the worker and the API load their modules meanwhile (the
    // worker's first Temporal call waits for it to answer); it is awaited below, before "ready".
    const spawned = spawnDevServer({
      cliPath,
      dbFile: join(dataDir, 'temporal.sqlite'),
      port: temporalPort,
      uiPort,
      namespace: settings.namespace,
      // With encrypted payloads the Web UI decodes them through the API (codec server).
      codecEndpoint: config.PAYLOAD_CODEC_KEYS ? `http://127.0.0.1:${port}/codec` : undefined,
      // Its shutdown chatter (workers losing connections) is expected, not news.
      log: (line) => {
        if (!shuttingDown) temporalLog.info(line);
      },
    });
    devServer = spawned;
    devServerServing = spawned.serving;
    address = spawned.address;
    webUiUrl = spawned.webUiUrl;
  } else {
    log(`using the Temporal server at ${address} (namespace ${settings.namespace}); starting none`);
  }

  const demoCrmPort = config.DEMO_CRM_PORT;
  const demoApiKey = config.DEMO_CRM_API_KEY;
  const demoMailerPort = config.DEMO_MAILER_PORT;
  const demoMailerToken = config.DEMO_MAILER_TOKEN;
  const env: NodeJS.ProcessEnv = {
    TEMPORAL_ADDRESS: address,
    ...(webUiUrl ? { TEMPORAL_WEB_UI_URL: webUiUrl } : {}),
    PORT: String(port),
    // Where remote services deliver webhooks (subscriptions registered on channel enable).
    PUBLIC_URL: config.PUBLIC_URL ?? `http://127.0.0.1:${port}`,
    // Children write to a pipe, not a terminal: plain text lines, readable ones unless LOG_FORMAT=json.
    NO_COLOR: parentEnv.NO_COLOR ?? '1',
    LOG_FORMAT: logFormat,
    // The demo services are on loopback, which the egress policy refuses: exactly they are let
    // through, nothing else on this machine.
    ...(demo ? { EGRESS_ALLOW: systemEgressAllow(config) } : {}),
    // The demo CRM's default channel, unless the user configured one.
    ...(demo && !parentEnv.CHANNEL_DEMO_CRM_SETTINGS
      ? {
          CHANNEL_DEMO_CRM_SETTINGS: JSON.stringify({ baseUrl: `http://127.0.0.1:${demoCrmPort}` }),
          CHANNEL_DEMO_CRM_CREDENTIALS: JSON.stringify({ apiKey: demoApiKey }),
          DEMO_SYNC_EVERY: parentEnv.DEMO_SYNC_EVERY || '1m',
        }
      : {}),
    // The demo mailer's default channel, mirroring the demo CRM both ways (two-way sync example).
    ...(demo && !parentEnv.CHANNEL_DEMO_MAILER_SETTINGS
      ? {
          CHANNEL_DEMO_MAILER_SETTINGS: JSON.stringify({ baseUrl: `http://127.0.0.1:${demoMailerPort}`, crmChannelId: 'demo-crm-default' }),
          CHANNEL_DEMO_MAILER_CREDENTIALS: JSON.stringify({ apiToken: demoMailerToken, webhookSecret: config.DEMO_MAILER_WEBHOOK_SECRET }),
        }
      : {}),
  };

  const dist = join(projectRoot, 'dist');
  // Only the API needs the key; the worker and the demo never see it.
  const apiEnv = { ...env, ...(bootstrap ? { ENGINE_API_KEY: bootstrap.key } : {}) };
  supervisor.start({ name: 'api', command: process.execPath, args: [join(dist, 'api', 'main.js')], env: apiEnv });
  // The API first, the demo and the worker once it listens: on two cores the processes' module
  // loading shares the CPU, and the API is what the outside reaches (a webhook it accepts meanwhile
  // waits in Temporal for the worker). Measured (bench/RESULTS.md): /health answers 0.7 s sooner,
  // and the worker polls no later than when all three load at once.
  const apiHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const startTheRest = waitForPort(port, { host: apiHost, cancelled: () => shuttingDown }).then(() => {
    if (shuttingDown) return;
    if (demo)
      supervisor.start({
        name: 'demo',
        command: process.execPath,
        args: [join(dist, 'demo', 'main.js')],
        env: { ...env, DEMO_CRM_PORT: String(demoCrmPort), DEMO_CRM_API_KEY: demoApiKey, DEMO_MAILER_PORT: String(demoMailerPort), DEMO_MAILER_TOKEN: demoMailerToken },
      });
    supervisor.start({ name: 'worker', command: process.execPath, args: [...workerNodeArgs(config.WORKER_HEAP_MB), join(dist, 'worker', 'main.js')], env });
  });

  if (devServerServing) {
    await devServerServing; // a dev server that never answers stops the start (runSystem's catch)
    if (shuttingDown) return; // Ctrl-C came while it was starting
  }
  await startTheRest;
  if (shuttingDown) return;

  const apiUrl = `http://127.0.0.1:${port}`;
  const ready = async () => (await waitForWorker(`${apiUrl}/health`, { apiKey: bootstrap?.key ?? config.ENGINE_API_KEY })).status;
  const readiness = await waitForWorker(`${apiUrl}/health`, { apiKey: bootstrap?.key ?? config.ENGINE_API_KEY });
  if (readiness.status === 'ok') log(`ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  else
    logger.warn(
      `up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s, but degraded: no worker polls the flows' task queue yet (${JSON.stringify(readiness.answer.worker?.taskQueues ?? 'GET /health with the API key tells more')}); runs wait until one does`,
    );
  log(`API:        ${apiUrl}${config.ADMIN_PORT !== undefined ? ` (public routes); management on http://${config.ADMIN_HOST}:${config.ADMIN_PORT}` : ''}`);
  log(`Swagger:    ${apiUrl}/docs`);
  if (bootstrap?.generated) log(`API key:    ${bootstrap.key} (admin; shown once, kept in ${bootstrap.file})`);
  else if (bootstrap) log(`API key:    in ${bootstrap.file} (admin): export ENGINE_API_KEY=$(cat ${bootstrap.file})`);
  else log('API key:    ENGINE_API_KEY, as given');
  log(`Web UI:     ${webUiUrl ?? '(remote cluster: see your Temporal UI)'}`);
  if (demo) log(`Demo CRM:   http://127.0.0.1:${demoCrmPort}, demo mailer: http://127.0.0.1:${demoMailerPort} (example flows run within a minute)`);
  log(`Ctrl-C stops everything (or "npm stop" from this folder).`);
  const system: RunningSystem = {
    async restartCode() {
      await supervisor.restart(CODE_PROCESSES);
      return { worker: supervisor.pid('worker'), api: supervisor.pid('api') };
    },
    ready,
    pids: () => ({ temporal: devServer?.process.pid, demo: supervisor.pid('demo'), worker: supervisor.pid('worker'), api: supervisor.pid('api') }),
    log,
    warn: (line) => logger.warn(line),
    shutdown,
  };
  await options.onReady?.(system);
}

/** Runs the system until Ctrl-C (or SIGTERM); a process that dies stops all of it. */
export function runSystem(options: SystemOptions): void {
  main(options).catch((err) => {
    logger.fatal({ err }, 'fatal');
    void shutdown(1);
  });
}
