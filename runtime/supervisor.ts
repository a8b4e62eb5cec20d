/**
 * Runs the system's processes side by side, prefixes their output, and stops all of them when
 * one dies or when we are told to stop. No restarts of a crashed process: a crash should be seen,
 * not hidden. `restart` is for `npm run dev`, which restarts the worker and the API on a change.
 *
 * Under `npm start` the children log human-readable lines themselves (LOG_FORMAT=pretty) and each
 * line gets the child's name in front (`worker  | 12:00:01.123 INFO: …`). With LOG_FORMAT=json the
 * lines pass through as they are, so the output stays one JSON object per line (each names its
 * `service`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { childEnv } from './config/environment';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private readonly specs = new Map<string, ChildSpec>();
  /** Children stopped on purpose by `restart`: their exit is no news. */
  private readonly replaced = new WeakSet<ChildProcess>();
  private stopping = false;

  constructor(
    private readonly onUnexpectedExit: (name: string, code: number | null, signal: NodeJS.Signals | null) => void,
    private readonly options: { prefix?: boolean } = {},
  ) {}

  start(spec: ChildSpec): ChildProcess {
    // detached: a child gets its own process group, so Ctrl-C reaches it only through us, in order.
    const child = spawn(spec.command, spec.args, { env: childEnv(spec.env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.children.set(spec.name, child);
    this.specs.set(spec.name, spec);
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      let pending = '';
      stream?.on('data', (chunk: string) => {
        const lines = (pending + chunk).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) process.stdout.write(this.options.prefix === false ? `${line}\n` : `${processPrefix(spec.name)}${line}\n`);
      });
    }
    child.once('exit', (code, signal) => {
      if (this.replaced.has(child)) return;
      this.children.delete(spec.name);
      if (!this.stopping) this.onUnexpectedExit(spec.name, code, signal);
    });
    return child;
  }

  /** The child's pid, if it runs. */
  pid(name: string): number | undefined {
    return this.children.get(name)?.pid;
  }

  /**
   * Stops the children named (in reverse order, as stopAll) and starts them again as they were
   * started, in the order given. Returns the new processes. A child that exits by itself
   * meanwhile is still an unexpected exit.
   */
  async restart(names: readonly string[], graceMs = 10_000): Promise<ChildProcess[]> {
    if (this.stopping) return [];
    for (const name of [...names].reverse()) {
      const child = this.children.get(name);
      if (!child) continue;
      this.replaced.add(child);
      await stopChild(child, graceMs);
    }
    if (this.stopping) return [];
    return names.flatMap((name) => {
      const spec = this.specs.get(name);
      return spec ? [this.start(spec)] : [];
    });
  }

  /** SIGTERM to every child in reverse start order, SIGKILL to any still alive after the grace period. */
  async stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const [, child] of [...this.children].reverse()) await stopChild(child, graceMs);
  }
}

/** SIGTERM, then SIGKILL if it is still alive after the grace period; resolves once it exited. */
async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** `api     | `: the name column in front of every line under `npm start`. */
export function processPrefix(name: string): string {
  return `${name.padEnd(8)}| `;
}
