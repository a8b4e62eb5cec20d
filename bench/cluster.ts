/**
 * `npm run bench -- cluster`: the webhook and flow benchmarks on Temporal as production runs it
 * (test/support/temporal-cluster: the server built from its Go module, on PostgreSQL, frontend,
 * history, matching and worker as separate processes, the shape of docker-compose.temporal.yml),
 * beside the same benchmarks on the dev server, in the same run. The server is built on first use
 * (about 9 minutes, cached outside the repository); never part of CI.
 */
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { ensureSearchAttributes } from '../runtime/search-attributes';
import { ensureTemporalCli, projectRoot } from '../runtime/temporal-cli';
import { startTestPostgres } from '../test/support/postgres';
import { startTemporalCluster } from '../test/support/temporal-cluster/cluster';
import { flowOverhead } from './flow-overhead';
import type { BenchContext } from './run';
import { benchTemporal } from './support/harness';
import { webhookIngest } from './webhook-ingest';

type WithContext = <T>(address: string, use: (ctx: BenchContext) => Promise<T>) => Promise<T>;

async function measure(withContext: WithContext, address: string) {
  return withContext(address, async (ctx) => ({ ingest: (await webhookIngest(ctx)).result, flows: (await flowOverhead(ctx)).result }));
}

export async function clusterBench(withContext: WithContext) {
  const log = (line: string) => console.log(`[cluster] ${line}`);
  const cliPath = ensureTemporalCli();
  const devServer = await benchTemporal();
  const onDevServer = await measure(withContext, devServer.address).finally(() => devServer.stop());
  const postgres = await startTestPostgres(join(projectRoot, 'test', 'support', 'postgres-server.mjs'));
  try {
    const cluster = await startTemporalCluster({ postgresUrl: postgres.url, cliPath, log });
    try {
      // What the worker registers when it starts; the benchmarks run no worker process.
      const connection = await Connection.connect({ address: cluster.address });
      await ensureSearchAttributes(connection, 'default').finally(() => connection.close());
      const onCluster = await measure(withContext, cluster.address);
      const row = (what: string, pick: (m: typeof onCluster) => number, digits = 1) => ({
        measure: what,
        'dev server': pick(onDevServer).toFixed(digits),
        'cluster (PostgreSQL, 4 processes)': pick(onCluster).toFixed(digits),
        'cluster / dev server': (pick(onCluster) / pick(onDevServer)).toFixed(2),
      });
      return {
        rows: [
          row('webhook ingest, req/s', (m) => m.ingest.apiPerSecond),
          row('bare workflow.start, starts/s', (m) => m.ingest.barePerSecond),
          row('bare workflow.start with the same metadata, starts/s', (m) => m.ingest.bareWithMetadataPerSecond),
          row('webhook ingest / bare start with the same metadata', (m) => m.ingest.ratioToBareWithMetadata, 2),
          row('redelivered webhooks, req/s', (m) => m.ingest.redeliveredPerSecond),
          row('webhook ingest p99, ms', (m) => m.ingest.apiP99),
          row('flows of three connector calls (activities), flows/s', (m) => m.flows.enginePerSecond),
          row('the same as local activities, flows/s', (m) => m.flows.localPerSecond),
          row('local, started eagerly, flows/s', (m) => m.flows.eagerPerSecond),
        ],
        result: { devServer: onDevServer, cluster: onCluster, roles: cluster.roles },
      };
    } finally {
      await cluster.stop();
    }
  } finally {
    await postgres.stop();
  }
}
