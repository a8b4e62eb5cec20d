/**
 * `npm start` without ENGINE_API_KEY: an admin key generated into the data folder on first start
 * (mode 0600), as the development credentials key is, and handed to the API as ENGINE_API_KEY.
 * Never in production, where the API refuses to start without a key it was given.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_KEY_PREFIX } from '../store/api-key-prefix';

export interface BootstrapKey {
  key: string;
  file: string;
  /** True on the start that created it: the only time it is printed. */
  generated: boolean;
}

export function bootstrapApiKey(dataDir: string): BootstrapKey {
  const file = join(dataDir, 'api-key');
  let generated = false;
  if (!existsSync(file)) {
    try {
      writeFileSync(file, `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
      generated = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  chmodSync(file, 0o600);
  return { key: readFileSync(file, 'utf8').trim(), file, generated };
}
