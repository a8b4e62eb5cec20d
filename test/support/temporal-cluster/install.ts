/**
 * The Temporal server as production runs it (not the dev server), built from its Go module into a
 * cache folder outside the repository (BENCH_CACHE_DIR, default ~/.cache/temporal-integration-engine),
 * once per machine: about 9 minutes on 2 cores and 1.7 GB of module cache. Go 1.26.8 is on the
 * machine; v1.32.2 asks for ≥ 1.26.10, so the go command fetches the go1.27.3 toolchain from the
 * module proxy (../shared/STACK.md). The PostgreSQL schemas come from the same module version.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const TEMPORAL_SERVER_VERSION = '1.32.2';
const GO_TOOLCHAIN = 'go1.27.3';

export interface TemporalServerInstall {
  /** `temporal-server`: frontend, history, matching and worker, one or several per process. */
  server: string;
  /** `temporal-sql-tool`: creates the databases and brings their schemas up to this version. */
  sqlTool: string;
  /** `schema/postgresql/v12` of the module: `temporal/versioned` and `visibility/versioned`. */
  postgresSchemas: string;
}

export function cacheDir(): string {
  return process.env.BENCH_CACHE_DIR ?? join(homedir(), '.cache', 'temporal-integration-engine');
}

/** The server's binaries and schemas, built first when missing. */
export function ensureTemporalServer(log: (line: string) => void): TemporalServerInstall {
  const dir = join(cacheDir(), `temporal-server-${TEMPORAL_SERVER_VERSION}`);
  const install = { server: join(dir, 'bin', 'server'), sqlTool: join(dir, 'bin', 'sql'), postgresSchemas: join(dir, 'schema', 'postgresql', 'v12') };
  // Written last: a build that was interrupted is done again.
  const done = join(dir, '.installed');
  if (existsSync(done)) return install;
  log(`building the Temporal server ${TEMPORAL_SERVER_VERSION} from its Go module into ${dir} (once per machine, about 9 minutes)`);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const env = { ...process.env, GOTOOLCHAIN: GO_TOOLCHAIN, GOBIN: join(dir, 'bin') };
  const module = 'go.temporal.io/server';
  execFileSync('go', ['install', `${module}/cmd/server@v${TEMPORAL_SERVER_VERSION}`, `${module}/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`], { stdio: 'inherit', env });
  const moduleCache = execFileSync('go', ['env', 'GOMODCACHE'], { env, encoding: 'utf8' }).trim();
  cpSync(join(moduleCache, `${module}@v${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12'), install.postgresSchemas, { recursive: true });
  for (const file of [install.server, install.sqlTool]) if (!existsSync(file)) throw new Error(`go install finished, but ${file} is missing`);
  writeFileSync(done, `${new Date().toISOString()}\n`);
  return install;
}
