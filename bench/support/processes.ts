/** The benchmarks' child processes: waiting until one serves, and stopping one (SIGTERM, then SIGKILL after 20 s). */
import type { ChildProcess } from 'node:child_process';

export async function waitFor(ready: () => Promise<boolean>, timeoutMs: number, what: string, children: ChildProcess[] = []): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (children.some((child) => child.exitCode !== null)) throw new Error(`${what}: a process exited before it was ready`);
    try {
      if (await ready()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
