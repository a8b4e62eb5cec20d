/**
 * One `npm start` per data folder: while it runs, its pid is in `<data dir>/start.pid`. A second
 * start from the same folder would rebuild dist/ under the running processes and fight over the
 * ports and the dev server's SQLite file, so it stops at once instead (`prestart` asks before the
 * build, runtime/system.ts again before starting anything); `npm stop` reads the file to stop a system
 * started in the background. scripts/ loads this file from dist/: the build that wrote a pid
 * file is the one that reads it.
 */
import { existsSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function pidFile(dataDir: string): string {
  return join(dataDir, 'start.pid');
}

/** Whether `pid` is a live `npm start` (or `npm run dev`): a pid left behind by a killed one may since belong to another program. */
function isStart(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (!existsSync('/proc/self')) return true; // no /proc (macOS): a live pid is all we can know
  try {
    return /runtime[\\/](start|dev)\.js/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false;
  }
}

/** The pid of the system running from this data folder, if one is. */
export function runningStart(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile(dataDir), 'utf8').trim());
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isStart(pid) ? pid : undefined;
}

/**
 * Records this process as the data folder's running system, or returns the pid of the one that
 * already is. The file is created exclusively, so of two starts at once only one gets it.
 */
export function claimPidFile(dataDir: string): number | undefined {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(pidFile(dataDir), `${process.pid}\n`, { flag: 'wx' });
      process.once('exit', () => releasePidFile(dataDir));
      return undefined;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const other = runningStart(dataDir);
    if (other) return other;
    rmSync(pidFile(dataDir), { force: true }); // left by a start that was killed
  }
  throw new Error(`${pidFile(dataDir)} keeps reappearing: another start is racing this one`);
}

/** Removes the pid file if it is still this process's. */
export function releasePidFile(dataDir: string): void {
  try {
    if (readFileSync(pidFile(dataDir), 'utf8').trim() === String(process.pid)) unlinkSync(pidFile(dataDir));
  } catch {
    // already gone
  }
}
