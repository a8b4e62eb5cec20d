import { execFileSync } from 'node:child_process';
import { hasHeapLimit, workerNodeArgs } from './worker-node-args';

/** The heap limit a real Node process reports when started with `args`, MB. */
function heapLimitWith(args: string[]): number {
  const printed = execFileSync(process.execPath, [...args, '-e', 'process.stdout.write(String(require("v8").getHeapStatistics().heap_size_limit))'], { encoding: 'utf8' });
  return Number(printed) / 1024 / 1024;
}

describe('the worker heap limit', () => {
  it.each([256, 1024])('gives a process started with workerNodeArgs(%i) that limit', (mb) => {
    const limit = heapLimitWith(workerNodeArgs(mb));
    expect(hasHeapLimit(mb, limit)).toBe(true);
    expect(hasHeapLimit(mb * 2, limit)).toBe(false);
  });

  it('tells a process started without it apart', () => {
    const limit = heapLimitWith(['--max-old-space-size=3000']);
    expect(hasHeapLimit(1024, limit)).toBe(false);
  });
});
