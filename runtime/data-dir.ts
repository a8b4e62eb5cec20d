import { join } from 'node:path';
import { projectRoot } from './temporal-cli';
import type { Env } from './config/environment';

/** Where local state lives: the dev server's SQLite file, the store, the development key. */
export function dataDir(env: Env): string {
  return env.DATA_DIR ?? join(projectRoot, '.data');
}
