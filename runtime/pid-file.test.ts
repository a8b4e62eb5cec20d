import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimPidFile, pidFile, releasePidFile, runningStart } from './pid-file';

const fresh = () => mkdtempSync(join(tmpdir(), 'engine-pid-'));

it('claims a free data folder, and releases it', () => {
  const dir = fresh();
  expect(claimPidFile(dir)).toBeUndefined();
  expect(readFileSync(pidFile(dir), 'utf8').trim()).toBe(String(process.pid));
  releasePidFile(dir);
  expect(existsSync(pidFile(dir))).toBe(false);
});

it('takes over a pid file left by a start that was killed, or by a pid now used by another program', () => {
  const dir = fresh();
  writeFileSync(pidFile(dir), '999999999\n');
  expect(runningStart(dir)).toBeUndefined();
  expect(claimPidFile(dir)).toBeUndefined();
  releasePidFile(dir);
  // A live process that is not `npm start` (jest's own parent, here).
  writeFileSync(pidFile(dir), `${process.ppid}\n`);
  expect(claimPidFile(dir)).toBeUndefined();
  releasePidFile(dir);
});

it('names the start that holds the folder', async () => {
  const dir = fresh();
  // Stands in for `node dist/runtime/start.js`: a live process whose command line names it.
  const start = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', 'dist/runtime/start.js'], { stdio: 'ignore' });
  await new Promise((resolve) => start.once('spawn', resolve));
  try {
    writeFileSync(pidFile(dir), `${start.pid}\n`);
    expect(runningStart(dir)).toBe(start.pid);
    expect(claimPidFile(dir)).toBe(start.pid);
    expect(readFileSync(pidFile(dir), 'utf8').trim()).toBe(String(start.pid));
  } finally {
    start.kill();
  }
});
