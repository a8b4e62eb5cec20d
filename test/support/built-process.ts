/**
 * The built engine's processes (`dist/api/main.js`, `dist/worker/main.js`, as `npm start` runs
 * them) as children of a test, so a test can kill one the way a crash would (SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workerNodeArgsFromEnv } from '../../runtime/worker-node-args';
import { TEST_ADMIN_KEY } from './system';

export type EngineProcess = 'api' | 'worker';

export interface BuiltProcess {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
}

export function startBuilt(which: EngineProcess, env: NodeJS.ProcessEnv): BuiltProcess {
  const script = join(__dirname, '..', '..', 'dist', which, 'main.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: run "npm run build" (npm test does)`);
  // The tests' admin key, as in the in-process test system, unless the test says otherwise.
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ENGINE_API_KEY: TEST_ADMIN_KEY, ...env };
  // The test's own store and tracing settings must not leak into the child.
  if (!('DATABASE_URL' in env)) delete childEnv.DATABASE_URL;
  delete childEnv.OTEL_EXPORTER_OTLP_ENDPOINT;
  let output = '';
  // The worker with the Node flags npm start gives it.
  const nodeArgs = which === 'worker' ? workerNodeArgsFromEnv(childEnv) : [];
  const child = spawn(process.execPath, [...nodeArgs, script], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  // If jest itself goes away, the child must not live on holding its port.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

export function isRunning(child: ChildProcess | undefined): child is ChildProcess {
  return !!child && child.exitCode === null && child.signalCode === null;
}

/** Sends `signal` and waits until the process is gone. */
export async function stopBuilt(process: BuiltProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!process || !isRunning(process.child)) return;
  const exited = new Promise<void>((resolve) => process.child.once('exit', () => resolve()));
  process.child.kill(signal);
  await exited;
}
