/**
 * `npm run dryrun -- …` (scripts/dryrun.mjs, on the sources: no build needed for a connector):
 *   <app>.<connector> [--channel <id>] [--input '{…}'] [--json]   one connector call (./connector.ts)
 *   flow <name> [--channel <id>] [--input '{…}'] [--timeout 60] [--json]   one run through the running system (./flow.ts)
 * The channel defaults to the application's default channel, `<app>-default`. Exit codes: 0 done,
 * 1 the call or the run failed, 2 a mistake in the command (or no system to run a flow on).
 */
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { ConnectorRegistry } from '../../connectors/registry';
import type { ImportedApplicationStore } from '../../store/imported-application-store';
import { httpClientOptionsFromEnv } from '../../connectors/framework/http/client';
import { EnvironmentError, parseEnvironment, type Env } from '../config/environment';
import { dataDir } from '../data-dir';
import { runningStart } from '../pid-file';
import { dataConverterWith, payloadCodecFromEnv } from '../payload-codec';
import { systemEgressAllow } from '../system-egress';
import { connectionOptions, temporalSettingsFromEnv } from '../temporal-config';
import { UsageError } from '../usage-error';
import { describeConnectorDryrun, dryrunConnector } from './connector';
import { describeFlowDryrun, dryrunFlow } from './flow';
import { RecordingHttpClient } from './recording-client';
import { openExistingStore } from './sources';

export const USAGE = `usage:
  npm run dryrun -- <app>.<connector> [--channel <id>] [--input '{"…":…}'] [--json]
  npm run dryrun -- flow <name> [--channel <id>] [--input '{"…":…}'] [--timeout <seconds>] [--json]
the channel is <app>-default unless --channel names one; it comes from CHANNEL_<APP>_SETTINGS / _CREDENTIALS or the system's store`;

const OPTIONS = {
  channel: { type: 'string' },
  input: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function inputOf(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--input is not JSON: ${(err as Error).message}`);
  }
}

export async function main(argv: string[], env: Env, out: (line: string) => void = console.log): Promise<number> {
  try {
    const { values, positionals } = (() => {
      try {
        return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    })();
    if (values.help || positionals.length === 0) {
      out(USAGE);
      return values.help ? 0 : 2;
    }
    const [first, ...rest] = positionals;
    if (first === 'flow' ? rest.length > 1 : rest.length > 0) throw new UsageError(`unexpected ${rest.slice(first === 'flow' ? 1 : 0).join(' ')}`);
    const print = (document: unknown, lines: string[]) => (values.json ? out(JSON.stringify(document, null, 2)) : lines.forEach((line) => out(line)));
    const input = inputOf(values.input);
    if (first === 'flow') {
      const timeoutMs = values.timeout === undefined ? 60_000 : Number(values.timeout) * 1000;
      if (!(timeoutMs > 0)) throw new UsageError(`--timeout ${values.timeout}: seconds, e.g. 60`);
      const run = await withTemporal(env, (deps) => dryrunFlow({ ...deps, timeoutMs }, rest[0], values.channel, input));
      print(run, describeFlowDryrun(run, timeoutMs));
      return run.status === 'completed' ? 0 : 1;
    }
    const run = await withConnectorDeps(env, (deps) => dryrunConnector(deps, first, values.channel, input ?? {}));
    print(run, describeConnectorDryrun(run));
    return run.ok ? 0 : 1;
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof EnvironmentError)) throw err;
    out(`npm run dryrun: ${err.message}`);
    return 2;
  }
}

async function withConnectorDeps<T>(env: Env, work: (deps: Parameters<typeof dryrunConnector>[0]) => Promise<T>): Promise<T> {
  const config = parseEnvironment(env);
  // The policy the running system's worker has: EGRESS_ALLOW, and the demo's services when it runs.
  const http = new RecordingHttpClient(httpClientOptionsFromEnv({ ...env, EGRESS_ALLOW: systemEgressAllow(config) }));
  const store = await openExistingStore(env, () => undefined);
  try {
    const registry = store ? new ConnectorRegistry(store.imported) : new ConnectorRegistry(noImports, { withoutCommitted: true });
    return await work({ env, store, registry, http });
  } finally {
    await store?.close();
  }
}

/** Without a store there are no imported applications; the ones written in code are all there. */
// Only list and get are read when the committed applications are left out.
const noImports = { list: async () => [], get: async () => undefined } as Pick<ImportedApplicationStore, 'list' | 'get'> as ImportedApplicationStore;

/** The running system's Temporal: TEMPORAL_ADDRESS, else the dev server `npm start` (or `npm run dev`) runs from this folder. */
async function withTemporal<T>(env: Env, work: (deps: Omit<Parameters<typeof dryrunFlow>[0], 'timeoutMs'>) => Promise<T>): Promise<T> {
  const config = parseEnvironment(env);
  const settings = temporalSettingsFromEnv(env);
  let address = settings.address;
  let webUiUrl = settings.webUiUrl;
  if (!address) {
    if (!runningStart(dataDir(env))) {
      throw new UsageError(
        'a flow runs on the running system, and none runs from this folder: start it with `npm start` (or `npm run dev`) in another terminal and try again, or set TEMPORAL_ADDRESS to the Temporal its worker polls',
      );
    }
    address = `127.0.0.1:${config.TEMPORAL_PORT}`;
    webUiUrl ??= `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`;
  }
  const connection = await Connection.connect(connectionOptions({ ...settings, address })).catch((err: Error) => {
    throw new UsageError(`cannot reach Temporal at ${address}: ${err.message}`);
  });
  const store = await openExistingStore(env, () => undefined);
  try {
    const { flows } = await import('../../workflows/flows');
    // Encrypted payloads (PAYLOAD_CODEC_KEYS) are encrypted and read back as the system's own clients do.
    const client = new Client({ connection, namespace: settings.namespace, dataConverter: dataConverterWith(payloadCodecFromEnv(env)) });
    return await work({ client, namespace: settings.namespace, taskQueue: settings.taskQueue, webUiUrl, flows, channels: store?.channels });
  } finally {
    await store?.close();
    await connection.close();
  }
}
