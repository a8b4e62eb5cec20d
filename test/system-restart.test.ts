/**
 * The whole system as a user runs it (`npm start`'s entry point, built into dist/): embedded
 * Temporal dev server, demo CRM, worker and API. It starts, runs the example flows, stops cleanly
 * on SIGINT, and after a restart on the same data folder the earlier runs are still there and no
 * schedule is duplicated.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePort } from './support/ports';
import { authHeaders, eventually } from './support/system';

const startScript = join(__dirname, '..', 'dist', 'runtime', 'start.js');
const dataDir = mkdtempSync(join(tmpdir(), 'engine-system-'));
let ports: { api: number; temporal: number; ui: number; crm: number; mailer: number; metrics: number; sdkMetrics: number };
let output = '';

function startSystem(): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ENGINE_API_KEY: '',
    DATA_DIR: dataDir,
    PORT: String(ports.api),
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(ports.ui),
    DEMO_CRM_PORT: String(ports.crm),
    DEMO_MAILER_PORT: String(ports.mailer),
    // Not the defaults (9464, 9465): whatever else runs on the machine may hold those.
    WORKER_METRICS_PORT: String(ports.metrics),
    WORKER_SDK_METRICS_PORT: String(ports.sdkMetrics),
    DEMO_WEBHOOK_EVERY_MS: '2000',
    // Not the default: V8's own limit on a small machine could be 1 GB anyway.
    WORKER_HEAP_MB: '384',
    NO_COLOR: '1',
    // npm start's own egress policy: its demo services, nothing else on loopback.
    EGRESS_ALLOW: '',
  };
  delete env.TEMPORAL_ADDRESS;
  const child = spawn(process.execPath, [startScript], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return child;
}

async function healthy(): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${ports.api}/health`)).status === 200;
  } catch {
    return false;
  }
}

async function stopSystem(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

beforeAll(async () => {
  if (!existsSync(startScript)) throw new Error(`${startScript} is missing: run "npm run build" (npm test does)`);
  ports = { api: await freePort(), temporal: await freePort(), ui: await freePort(), crm: await freePort(), mailer: await freePort(), metrics: await freePort(), sdkMetrics: await freePort() };
});

afterAll(() => {
  if (process.env.SHOW_SYSTEM_OUTPUT) console.log(output);
});

/** The admin key `npm start` generated into the data folder (and printed on that first start only). */
function adminKey(): Record<string, string> {
  return authHeaders(readFileSync(join(dataDir, 'api-key'), 'utf8').trim());
}

/** A channel pointed at a loopback service that is not one of the demo's: its call is refused, and the service sees no connection. */
async function expectOtherLoopbackRefused(): Promise<void> {
  let connections = 0;
  const bystander = createServer((_req, res) => res.end('{}')).on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => bystander.listen(0, '127.0.0.1', resolve));
  const port = (bystander.address() as AddressInfo).port;
  try {
    const post = (path: string, body: unknown) =>
      fetch(`http://127.0.0.1:${ports.api}${path}`, { method: 'POST', headers: { ...adminKey(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const channel = (await (
      await post('/channels', { application: 'demo-crm', name: 'Points at another loopback service', settings: { baseUrl: `http://127.0.0.1:${port}` }, credentials: { apiKey: 'k' } })
    ).json()) as { id: string };
    const run = await post('/applications/demo-crm/actions/listContacts/run', { channelId: channel.id, input: {} });
    expect(run.status).toBe(502);
    expect(await run.text()).toContain(`egress to 127.0.0.1:${port} refused by policy: loopback (set EGRESS_ALLOW to permit it)`);
    expect(connections).toBe(0);
    // Its schedule goes with it: the restart below counts the demo's schedules.
    expect((await fetch(`http://127.0.0.1:${ports.api}/channels/${channel.id}`, { method: 'DELETE', headers: adminKey() })).status).toBe(204);
  } finally {
    bystander.close();
  }
}

it('starts from one command, runs the example flows, stops on SIGINT and keeps its runs across a restart', async () => {
  const startedAt = Date.now();
  let system = startSystem();
  await eventually(async () => ((await healthy()) ? true : undefined), 120_000, 'GET /health 200').catch((err: Error) => {
    system.kill('SIGINT');
    console.log(output);
    throw err;
  });
  const startupMs = Date.now() - startedAt;
  console.log(`start to /health 200: ${startupMs} ms`);

  const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
  const client = new Client({ connection });
  try {
    // Within a minute the bundled examples have run: the demo shop's webhook and the first sync.
    const firstOrder = await eventually(
      async () => {
        for await (const run of client.workflow.list({ query: 'FlowName = "orderPlaced" AND ExecutionStatus = "Completed"' })) return run.workflowId;
        return undefined;
      },
      60_000,
      'a completed orderPlaced run',
    );
    await eventually(
      async () => {
        for await (const run of client.workflow.list({ query: 'FlowName = "syncContactsToMailingList" AND ExecutionStatus = "Completed"' })) return run.workflowId;
        return undefined;
      },
      60_000,
      'a completed syncContactsToMailingList run',
    );
    // The two-way sync example: the mailer mirrors the CRM, and its (signed) webhooks reach the API.
    for (const flow of ['syncCrmContactsToMailer', 'applyMailerChangeToCrm']) {
      await eventually(
        async () => {
          for await (const run of client.workflow.list({ query: `FlowName = "${flow}" AND ExecutionStatus = "Completed"` })) return run.workflowId;
          return undefined;
        },
        60_000,
        `a completed ${flow} run`,
      );
    }
    expect((await fetch(`http://127.0.0.1:${ports.api}/docs`)).status).toBe(200);
    // Management needs the generated key, printed beside the URLs on this first start.
    expect((await fetch(`http://127.0.0.1:${ports.api}/channels`)).status).toBe(401);
    expect(output).toContain(`API key:    ${adminKey().authorization!.slice('Bearer '.length)}`);
    // The worker runs with WORKER_HEAP_MB's limit (384 MB of old space; V8 adds its young generation), not V8's quarter of the machine.
    const heapLimitMb = Number(/flows from the .*, heap limit (\d+) MB/.exec(output)?.[1]);
    expect(heapLimitMb).toBeGreaterThanOrEqual(384);
    expect(heapLimitMb).toBeLessThan(450);
    expect((await fetch(`http://127.0.0.1:${ports.api}/channels`, { headers: adminKey() })).status).toBe(200);
    await expectOtherLoopbackRefused();

    expect(await stopSystem(system)).toBe(0);
    expect(await healthy()).toBe(false);
    await expect(fetch(`http://127.0.0.1:${ports.crm}/api/contacts`)).rejects.toThrow();

    system = startSystem();
    await eventually(async () => ((await healthy()) ? true : undefined), 120_000, 'GET /health 200 after restart');
    expect((await client.workflow.getHandle(firstOrder).describe()).status.name).toBe('COMPLETED');
    await eventually(() => (/schedule syncContactsToMailingList\/demo-crm-default: unchanged/.test(output) ? true : undefined), 30_000, 'the worker to find its schedule');
    // Printed once: the second start names the file instead.
    expect(output.split(adminKey().authorization!.slice('Bearer '.length)).length).toBe(2);
    const schedules: string[] = [];
    for await (const schedule of client.schedule.list()) schedules.push(schedule.scheduleId);
    expect(schedules.sort()).toEqual(['syncContactsToMailingList/demo-crm-default', 'syncCrmContactsToMailer/demo-mailer-default']);
    expect(await stopSystem(system)).toBe(0);
  } catch (err) {
    system.kill('SIGINT');
    console.log(output);
    throw err;
  } finally {
    await connection.close();
  }
}, 240_000);
