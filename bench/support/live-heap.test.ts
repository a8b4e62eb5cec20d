/**
 * The probe against a real Node process with a worker thread: what each isolate holds is told
 * apart, and garbage does not count.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../test/support/ports';
import { LiveHeapProbe } from './live-heap';

// The worker thread keeps about 40 MB; the main thread holds 64 MB until told to drop it, and
// then allocates nothing, so nothing but the probe's collection would reclaim it.
const program = `
const { Worker } = require('node:worker_threads');
new Worker('globalThis.kept = new Array(5e6).fill(0).map((_, i) => i); console.log("kept"); setInterval(() => {}, 1000);', { eval: true });
let held = Array.from({ length: 8 }, (_, k) => new Array(1e6).fill(0).map((_, i) => i + k));
process.stdin.once('data', () => { held = null; console.log('dropped'); });
`;

function printed(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve) => child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes(line) && resolve()));
}

it('reads the live heap of the main thread and of each worker thread after a full collection, garbage not counted', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [`--inspect=127.0.0.1:${port}`, '-e', program], { stdio: ['pipe', 'pipe', 'ignore'] });
  const kept = printed(child, 'kept');
  let probe: LiveHeapProbe | undefined;
  try {
    probe = await LiveHeapProbe.connect(port);
    await kept;
    const holding = await probe.measure();
    expect(holding.mainMb).toBeGreaterThan(55);
    expect(holding.threads).toHaveLength(1);
    expect(holding.threads[0]!.mb).toBeGreaterThan(35);
    expect(holding.threads[0]!.mb).toBeLessThan(60); // its fill(0) array, 40 MB more, was garbage

    const dropped = printed(child, 'dropped');
    child.stdin!.write('drop\n');
    await dropped;
    const after = await probe.measure();
    expect(after.mainMb).toBeLessThan(20);
    expect(after.threads[0]!.mb).toBeGreaterThan(35);
  } finally {
    probe?.close();
    child.kill('SIGKILL');
  }
});
