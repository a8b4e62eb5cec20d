/**
 * n8n for the peer benchmark, installed on demand into a cache folder outside the repository
 * (BENCH_CACHE_DIR, default ~/.cache/temporal-integration-engine), once per machine: about 6
 * minutes and 2.4 GB. 2.8.4 is the newest n8n that runs on Node 20 (../shared/STACK.md); one of its
 * dependencies points at a host outside the npm registry, hence the xlsx override.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const N8N_VERSION = '2.8.4';

export function benchCacheDir(): string {
  return process.env.BENCH_CACHE_DIR ?? join(homedir(), '.cache', 'temporal-integration-engine');
}

/** The n8n executable, installed first when missing. */
export function ensureN8n(log: (line: string) => void): string {
  const dir = join(benchCacheDir(), `n8n-${N8N_VERSION}`);
  const bin = join(dir, 'node_modules', '.bin', 'n8n');
  // Written last: an install that was interrupted has the binary but not this, and is done again.
  const done = join(dir, '.installed');
  if (existsSync(done)) return bin;
  log(`installing n8n ${N8N_VERSION} into ${dir} (once per machine, about 6 minutes)`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ private: true, dependencies: { n8n: N8N_VERSION }, overrides: { xlsx: '0.18.5' } }, null, 2)}\n`);
  // sqlite3 compiles from source against the system's Node headers.
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit', env: { ...process.env, npm_config_nodedir: '/usr' } });
  if (!existsSync(bin)) throw new Error(`npm installed n8n, but ${bin} is missing`);
  writeFileSync(done, `${new Date().toISOString()}\n`);
  return bin;
}
