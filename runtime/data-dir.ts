import { join } from 'node:path';
import { projectRoot } from './temporal-cli';

/** Where local state lives: the dev server's SQLite file, the store, the development key. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATA_DIR ?? join(projectRoot, '.data');
}
