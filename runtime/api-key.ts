/**
 * `npm run api-key -- <command>`: manage API keys in the store, without the API running.
 *   create --name ci --scope operate [--scope …]   prints the key once
 *   list                                           names, scopes, creation and last use
 *   revoke <id>
 *   generate                                       a random key for ENGINE_API_KEY (not stored)
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { SCOPES, type Scope } from '../api/auth/scope-order';
import { API_KEY_PREFIX } from '../store/api-key-prefix';
import { openStore } from '../store/open-store';
import { dataDir } from './data-dir';
import { loadEnvironment } from './config/environment';

const USAGE = 'usage: npm run api-key -- create --name <name> --scope <read|operate|admin> | list | revoke <id> | generate';

async function main(): Promise<void> {
  const { env } = loadEnvironment(); // a bad value stops here, naming the variable
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { name: { type: 'string' }, scope: { type: 'string', multiple: true } } });
  const [command, ...rest] = positionals;
  if (command === 'generate') return void console.log(`${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`);
  if (command !== 'create' && command !== 'list' && command !== 'revoke') throw new Error(USAGE);
  const store = await openStore(dataDir(env), () => undefined, env);
  try {
    if (command === 'create') {
      const scopes = (values.scope ?? []).flatMap((scope) => scope.split(',')).map((scope) => scope.trim());
      const unknown = scopes.filter((scope) => !(SCOPES as readonly string[]).includes(scope));
      if (!values.name || scopes.length === 0 || unknown.length > 0) throw new Error(unknown.length ? `unknown scope ${unknown.join(', ')} (scopes: ${SCOPES.join(', ')})` : USAGE);
      const created = await store.apiKeys.create(values.name, scopes as Scope[]);
      console.log(`created ${created.id} "${created.name}" with scope ${created.scopes.join(', ')}. The key, shown this once:\n${created.key}`);
    } else if (command === 'list') {
      for (const key of await store.apiKeys.list()) console.log(`${key.id}\t${key.name}\t${key.scopes.join(',')}\tcreated ${key.createdAt}\tlast used ${key.lastUsedAt ?? 'never'}`);
    } else {
      const id = rest[0];
      if (!id) throw new Error(USAGE);
      if (!(await store.apiKeys.revoke(id))) throw new Error(`no API key "${id}"`);
      console.log(`revoked ${id}`);
    }
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  console.error(`api-key: ${(err as Error).message}`);
  process.exit(1);
});
