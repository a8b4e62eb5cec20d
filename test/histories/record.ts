/**
 * `npm run histories:record [flow…]`: runs every flow the workflow bundle exports against a
 * Temporal dev server of its own and the demo services on loopback, and writes each completed
 * run's history to test/histories/<flow>.json. test/replay-histories.test.ts replays them against
 * the current code, so a change that would break runs in flight fails CI instead of production.
 *
 * Re-record after a deliberate change to a flow (one that a replay test now refuses), once the
 * change is made safe for runs in flight (patched(), or a new worker deployment version: README,
 * "Rolling out a changed flow"). A flow with no scenario stops the script: add one in ./scenarios.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoMailer } from '../../demo/mailer-server';
import { startDevServer } from '../../runtime/dev-server';
import { ensureTemporalCli } from '../../runtime/temporal-cli';
import * as bundle from '../../workflows';
import { freePort } from '../support/ports';
import { startTestSystem } from '../support/system';
import { writeHistory } from './history-files';
import { scenarios, type RecordingContext } from './scenarios';

// Made per recording: it reaches the demo mailer and the channel's sealed credentials, never the histories.
const MAILER_TOKEN = randomBytes(24).toString('base64url');

async function main(): Promise<void> {
  const flows = Object.keys(bundle).sort();
  const missing = flows.filter((flow) => !(flow in scenarios));
  if (missing.length > 0) throw new Error(`no recording scenario for ${missing.join(', ')}: add one to test/histories/scenarios.ts`);
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((flow) => !flows.includes(flow));
  if (unknown.length > 0) throw new Error(`not a flow of workflows/index.ts: ${unknown.join(', ')}`);

  // The demo services listen on loopback, which the egress policy refuses unless told.
  process.env.EGRESS_ALLOW = [process.env.EGRESS_ALLOW, '127.0.0.0/8'].filter(Boolean).join(',');
  const dir = mkdtempSync(join(tmpdir(), 'engine-histories-'));
  const server = await startDevServer({ cliPath: ensureTemporalCli(), dbFile: join(dir, 'temporal.sqlite'), port: await freePort() });
  const mailer = await startDemoMailer({ apiToken: MAILER_TOKEN });
  const system = await startTestSystem({ address: server.address, contacts: 12 });
  const ctx: RecordingContext = { system, mailer, mailerToken: MAILER_TOKEN };
  try {
    // In the scenarios' order: the mailer flows need the channel the subscription scenario creates.
    for (const [flow, scenario] of Object.entries(scenarios)) {
      if (!flows.includes(flow)) throw new Error(`scenario for ${flow}, which workflows/index.ts no longer exports: remove it from test/histories/scenarios.ts`);
      // Every scenario runs (later ones build on earlier ones); only the wanted histories are written.
      const run = await scenario(ctx);
      if (wanted.length > 0 && !wanted.includes(flow)) continue;
      const history = await system.client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
      const file = writeHistory(flow, run.workflowId, history);
      console.log(`${flow}: ${history.events?.length ?? 0} events -> ${file}`);
    }
  } finally {
    await system.stop();
    await mailer.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
