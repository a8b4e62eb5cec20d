/**
 * API_WORKER: a worker on the flows' task queue inside the API's process, so webhook runs start
 * eagerly: Temporal hands the run's first workflow task back in its answer to the start, to this
 * worker, instead of through matching and a poll. With flows whose connector calls are local
 * activities, the whole run is one workflow task that never leaves the process: one persistence
 * write fewer per run, and no dispatch. The worker process still runs everything else (schedules,
 * rate-limited queues, the other runs). Off by default: the flows' CPU is then the API's, and under
 * a burst on a small machine the API accepts webhooks at half the rate for no more finished flows
 * (bench/RESULTS.md, `peers`); on when the API has cores to spare and a run's start latency matters.
 *
 * It starts in the background: the API answers (and /health says 503) while Temporal is down, and
 * until this worker runs webhook runs start the ordinary way.
 */
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import { NativeConnection, type WorkerDeploymentOptions } from '@temporalio/worker';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import { ConnectorTelemetry } from '../activities/connector-telemetry';
import type { ConnectorRegistry } from '../connectors/registry';
import type { Store } from '../store/open-store';
import { connectionOptions, type TemporalSettings } from '../runtime/temporal-config';
import { requestIdClientInterceptor } from '../runtime/request-context';
import { createWorkers } from '../worker/create-worker';
import type { EagerStarts } from '../workflows/framework/run-starter';

export interface EmbeddedWorkerDeps {
  settings: TemporalSettings;
  store: Store;
  registry: ConnectorRegistry;
  dataConverter?: DataConverter;
  /** Tracing, as the API's client and the worker process have it. */
  plugins?: OpenTelemetryPlugin[];
  /** The worker process's build (WORKER_DEPLOYMENT_NAME, WORKER_BUILD_ID): an eager run is this build's. */
  deployment?: WorkerDeploymentOptions;
  /** The API's metrics registry: connector calls made here are served at the API's /metrics. */
  metrics: Registry;
  log: Logger;
}

const RETRY_MS = 2_000;

export class EmbeddedWorker implements EagerStarts {
  private eagerClient: Client | undefined;
  private connection: NativeConnection | undefined;
  private stopWorkers: (() => void) | undefined;
  private closing = false;
  private readonly stopped: Promise<void>;

  constructor(private readonly deps: EmbeddedWorkerDeps) {
    this.stopped = this.keepRunning();
  }

  /** The client whose starts this worker may take eagerly; undefined while it does not run. */
  client(): Client | undefined {
    return this.eagerClient;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.stopWorkers?.();
    await this.stopped;
  }

  private async keepRunning(): Promise<void> {
    const { settings, log } = this.deps;
    while (!this.closing) {
      try {
        await this.runOnce();
      } catch (err) {
        if (!this.closing) log.warn(`the API's worker (eager starts) stopped: ${(err as Error).message}; trying again in ${RETRY_MS / 1000} s, webhook runs start the ordinary way meanwhile`);
      } finally {
        this.eagerClient = undefined;
        this.stopWorkers = undefined;
        await this.connection?.close().catch(() => undefined);
        this.connection = undefined;
      }
      if (!this.closing) await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
    log.debug(`the API's worker on ${settings.taskQueue} stopped`);
  }

  private async runOnce(): Promise<void> {
    const { settings, store, registry, dataConverter, plugins, deployment, metrics, log } = this.deps;
    const connection = (this.connection = await NativeConnection.connect(connectionOptions(settings)));
    const workers = await createWorkers({
      connection,
      namespace: settings.namespace,
      taskQueue: settings.taskQueue,
      channels: store.channels,
      tokens: store.tokens,
      cursors: store.cursors,
      subscriptions: store.subscriptions,
      registry,
      telemetry: new ConnectorTelemetry(log, { registry: metrics }),
      dataConverter,
      plugins,
      deployment,
      flowsQueueOnly: true,
    });
    if (this.closing) return;
    this.stopWorkers = () => workers.shutdown();
    const running = workers.run();
    // The same data converter, tracing and request-id header as the API's own client.
    this.eagerClient = new Client({ connection, namespace: settings.namespace, dataConverter, plugins, interceptors: { workflow: [requestIdClientInterceptor()] } });
    log.info(`the API runs a worker on ${settings.taskQueue}: webhook runs start eagerly on it (flows from the ${workers.workflowCode})`);
    await running;
  }
}
