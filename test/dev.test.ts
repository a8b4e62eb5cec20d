/**
 * `npm run dev` as a user runs it (its built entry, in a copy of the repository with its dist/, so
 * the files it watches can be changed without touching the working tree): the system starts, a
 * changed connector restarts the worker and the API and nothing else (the Temporal dev server and
 * the demo keep their pids, and the runs from before are still there), and a change that does not
 * compile restarts nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyProject, type ProjectCopy } from './support/project-copy';
import { freePort } from './support/ports';
import { authHeaders, eventually } from './support/system';

const built = join(__dirname, '..', 'dist', 'runtime', 'dev.js');
let copy: ProjectCopy;
let dev: ChildProcess | undefined;
let output = '';
let apiUrl = '';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The next line matching `pattern` after `from` characters of output. */
function line(pattern: RegExp, from: number, timeoutMs: number, what: string): Promise<RegExpExecArray> {
  return eventually(() => pattern.exec(output.slice(from)) ?? undefined, timeoutMs, `${what} (output so far:\n${output.slice(-3000)})`);
}

beforeAll(async () => {
  if (!existsSync(built)) throw new Error(`${built} is missing: run "npm run build" (npm test does)`);
  copy = copyProject({ withDist: true });
  const ports = Object.fromEntries(await Promise.all(['api', 'temporal', 'ui', 'crm', 'mailer', 'metrics', 'sdkMetrics'].map(async (name) => [name, await freePort()] as const)));
  apiUrl = `http://127.0.0.1:${ports.api}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ENGINE_API_KEY: '',
    DATA_DIR: join(copy.root, '.data'),
    PORT: String(ports.api),
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(ports.ui),
    DEMO_CRM_PORT: String(ports.crm),
    DEMO_MAILER_PORT: String(ports.mailer),
    WORKER_METRICS_PORT: String(ports.metrics),
    WORKER_SDK_METRICS_PORT: String(ports.sdkMetrics),
    EGRESS_ALLOW: '',
    NO_COLOR: '1',
  };
  delete env.TEMPORAL_ADDRESS;
  dev = spawn(process.execPath, [join(copy.root, 'dist', 'runtime', 'dev.js')], { cwd: copy.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  dev.stdout!.on('data', (chunk) => (output += chunk));
  dev.stderr!.on('data', (chunk) => (output += chunk));
}, 30_000);

afterAll(async () => {
  // Ctrl-C's way: dev stops the API, worker, demo and dev server in order. Whatever is left after that is killed by pid.
  const pids = [...output.matchAll(/pid (\d+)/g)].map((match) => Number(match[1]));
  if (dev && dev.exitCode === null && dev.signalCode === null) {
    const exited = new Promise((resolve) => dev!.once('exit', resolve));
    dev.kill('SIGINT');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    if (dev.exitCode === null && dev.signalCode === null) dev.kill('SIGKILL');
  }
  for (const pid of new Set(pids)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  copy?.remove();
  if (process.env.SHOW_SYSTEM_OUTPUT) console.log(output);
}, 60_000);

it('restarts the worker and the API on a changed connector, and nothing else; a change that does not compile restarts nothing', async () => {
  const watching = await line(/\[dev\] watching \(pids: temporal (\d+), demo (\d+), worker (\d+), api (\d+)\)/, 0, 240_000, 'the watch');
  const [temporal, demo, worker, api] = watching.slice(1).map(Number) as [number, number, number, number];
  const key = authHeaders(readFileSync(join(copy.root, '.data', 'api-key'), 'utf8').trim());
  // The example sync runs as soon as the worker starts: a run from before the restart.
  const before = await eventually(
    async () => {
      const runs = (await (await fetch(`${apiUrl}/runs?flow=syncContactsToMailingList`, { headers: key })).json()) as Array<{ workflowId: string }>;
      return Array.isArray(runs) && runs.length > 0 ? runs : undefined;
    },
    60_000,
    'a run of the example sync',
  );

  const mark = output.length;
  appendFileSync(join(copy.root, 'connectors', 'demo-crm', 'list-contacts.ts'), '\n// changed by test/dev.test.ts\n');
  const restarted = await line(/\[dev\] restarted: worker pid (\d+) → (\d+), api pid (\d+) → (\d+)/, mark, 120_000, 'the restart');
  const [oldWorker, newWorker, oldApi, newApi] = restarted.slice(1).map(Number) as [number, number, number, number];
  expect([oldWorker, oldApi]).toEqual([worker, api]);
  expect(newWorker).not.toBe(worker);
  expect(newApi).not.toBe(api);
  await line(/\[dev\] ready/, mark, 120_000, 'the restarted system to be ready');
  expect([alive(worker), alive(api), alive(newWorker), alive(newApi)]).toEqual([false, false, true, true]);
  expect([alive(temporal), alive(demo)]).toEqual([true, true]);
  expect(readFileSync(join(copy.root, 'dist', 'connectors', 'demo-crm', 'list-contacts.js'), 'utf8')).toContain('changed by test/dev.test.ts');
  // The dev server kept its state: the run from before is still listed by the new API.
  const after = (await (await fetch(`${apiUrl}/runs?flow=syncContactsToMailingList`, { headers: key })).json()) as Array<{ workflowId: string }>;
  expect(after.map((run) => run.workflowId)).toEqual(expect.arrayContaining(before.map((run) => run.workflowId)));

  const broken = output.length;
  const file = join(copy.root, 'connectors', 'demo-crm', 'list-contacts.ts');
  writeFileSync(file, `${readFileSync(file, 'utf8')}\nexport const broken: number = 'not a number';\n`);
  await line(/error TS2322[\s\S]*\[dev\] 1 error\(s\): the worker and the API go on/, broken, 120_000, 'the compile error');
  expect(output.slice(broken)).not.toContain('[dev] restarted');
  expect([alive(newWorker), alive(newApi), alive(temporal), alive(demo)]).toEqual([true, true, true, true]);
  expect((await fetch(`${apiUrl}/health`)).status).toBe(200);
}, 480_000);
