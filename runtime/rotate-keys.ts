/**
 * `npm run keys:rotate`: re-seals every stored credential and token with the current key (the
 * first of CREDENTIALS_KEYS). Rotation: put a new key first in CREDENTIALS_KEYS, keep the old ones
 * after it, run this, then drop the old keys.
 */
import { dataDir } from './data-dir';
import { loadEnvironment } from './config/environment';
import { openStore } from '../store/open-store';
import { createCliLogger } from './logger';

async function main(): Promise<void> {
  const { env } = loadEnvironment(); // a bad value stops here, naming the variable
  const store = await openStore(dataDir(env), (line) => createCliLogger('rotate-keys').warn(line), env);
  try {
    const count = await store.channels.reseal();
    console.log(`re-sealed ${count} value(s) with key "${store.cipher.currentKeyId}"`);
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  console.error(`key rotation failed: ${(err as Error).message}`);
  process.exit(1);
});
