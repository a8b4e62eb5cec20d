/**
 * API and worker open a new store at the same moment (as `npm start` does): separate processes,
 * one SQLite file, one development key file. Both must come up, with one key and one schema.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function openInChild(dataDir: string, name: string): Promise<string> {
  const code = `
    const { openStore } = require(${JSON.stringify(join(__dirname, '..', 'dist', 'store', 'open-store.js'))});
    openStore(${JSON.stringify(dataDir)}, () => {}, { }).then(async (store) => {
      const channel = await store.channels.upsert({ id: ${JSON.stringify(name)}, application: 'demo-crm', name: ${JSON.stringify(name)}, settings: {}, credentials: { apiKey: 'k' }, enabled: true, authStatus: 'configured' });
      const all = await store.channels.list(); // opens every sealed value, whoever wrote it
      console.log('OK ' + channel.id + (all.length === 3 ? ' read-all' : ''));
      await store.close();
    }).catch((err) => { console.log('FAILED ' + err.message); process.exit(1); });`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.on('exit', () => resolve(out.trim()));
  });
}

it('two processes create the same new store at once without conflict', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'engine-race-'));
  const results = await Promise.all(['api', 'worker', 'third'].map((name) => openInChild(dataDir, name)));
  expect(results.map((r) => r.replace(' read-all', ''))).toEqual(['OK api', 'OK worker', 'OK third']);
  expect(readFileSync(join(dataDir, 'credentials.keys'), 'utf8').trim().split('\n')).toHaveLength(1);
  // Every process can read what the others sealed: there is one key.
  const check = await openInChild(dataDir, 'api');
  expect(check).toBe('OK api read-all');
});
