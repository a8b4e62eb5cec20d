/**
 * Production refuses to run with development conveniences: no generated credentials key, no API
 * without a key. And keys can be managed from the command line, as CI would.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateKey } from '../../store/credential-cipher';
import { openStore } from '../../store/open-store';
import { freePort } from '../support/ports';
import { startBuilt, stopBuilt } from '../support/built-process';
import { eventually } from '../support/system';

const run = promisify(execFile);
const dist = join(__dirname, '..', '..', 'dist');

async function exitOf(which: 'api' | 'worker', env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  // Free ports: the worker's metrics defaults (9464, 9465) may be taken on this machine.
  const ports = { PORT: String(await freePort()), WORKER_METRICS_PORT: String(await freePort()), WORKER_SDK_METRICS_PORT: String(await freePort()) };
  const built = startBuilt(which, { TEMPORAL_ADDRESS: '127.0.0.1:1', ENGINE_API_KEY: '', CREDENTIALS_KEYS: '', ...ports, ...env });
  const code = await new Promise<number | null>((resolve) => built.child.once('exit', resolve));
  return { code, output: built.output() };
}

it('with NODE_ENV=production, the API and the worker refuse to start without CREDENTIALS_KEYS', async () => {
  for (const which of ['api', 'worker'] as const) {
    const { code, output } = await exitOf(which, { NODE_ENV: 'production', DATA_DIR: mkdtempSync(join(tmpdir(), 'engine-prod-')) });
    expect(code).not.toBe(0);
    expect(output).toContain('NODE_ENV=production needs CREDENTIALS_KEYS');
  }
});

it('with NODE_ENV=production, the API refuses to start without an API key', async () => {
  const { code, output } = await exitOf('api', { NODE_ENV: 'production', CREDENTIALS_KEYS: generateKey('prod'), DATA_DIR: mkdtempSync(join(tmpdir(), 'engine-prod-')) });
  expect(code).not.toBe(0);
  expect(output).toContain('NODE_ENV=production needs an API key');
});

it('npm run api-key creates a key the API accepts with its scope, lists it without the key, and revokes it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'engine-keys-'));
  const env = { ...process.env, DATA_DIR: dataDir, CREDENTIALS_KEYS: generateKey('cli'), DATABASE_URL: '' };
  const cli = (...args: string[]) => run(process.execPath, [join(dist, 'runtime', 'api-key.js'), ...args], { env });
  const created = await cli('create', '--name', 'ci', '--scope', 'operate');
  const key = created.stdout.trim().split('\n').at(-1)!;
  expect(key).toMatch(/^eng_[A-Za-z0-9_-]{43}$/);
  const listed = (await cli('list')).stdout;
  expect(listed).toMatch(/key_\S+\tci\toperate\t/);
  expect(listed).not.toContain(key);
  await expect(cli('create', '--name', 'x', '--scope', 'root')).rejects.toMatchObject({ stderr: expect.stringContaining('unknown scope root') });

  // The API started on that store takes the key with exactly its scope.
  const port = await freePort();
  const api = startBuilt('api', { DATA_DIR: dataDir, CREDENTIALS_KEYS: env.CREDENTIALS_KEYS, ENGINE_API_KEY: '', TEMPORAL_ADDRESS: '127.0.0.1:1', PORT: String(port) });
  try {
    const headers = { authorization: `Bearer ${key}` };
    await eventually(async () => ((await fetch(`http://127.0.0.1:${port}/flows`, { headers }).catch(() => undefined))?.status === 200 ? true : undefined), 30_000, 'the API to take the key');
    expect((await fetch(`http://127.0.0.1:${port}/api-keys`, { headers })).status).toBe(403);
    const id = /^(key_\S+)\t/m.exec(listed)![1]!;
    await cli('revoke', id);
    expect((await fetch(`http://127.0.0.1:${port}/flows`, { headers })).status).toBe(401);
  } finally {
    await stopBuilt(api, 'SIGTERM');
  }
  const store = await openStore(dataDir, () => undefined, { CREDENTIALS_KEYS: env.CREDENTIALS_KEYS });
  try {
    expect(await store.apiKeys.list()).toEqual([]);
  } finally {
    await store.close();
  }
});
