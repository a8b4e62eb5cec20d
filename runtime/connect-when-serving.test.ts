/**
 * The worker's first connection outlasts a Temporal server that is not up yet: a real dev server
 * started only after the first attempt (10 s) has given up.
 */
import pino from 'pino';
import { freePort } from '../test/support/ports';
import { connectWhenServing } from './connect-when-serving';
import { spawnDevServer, type DevServer } from './dev-server';
import { ensureTemporalCli } from './temporal-cli';
import type { TemporalSettings } from './temporal-config';

let server: DevServer | undefined;
const settingsAt = (port: number): TemporalSettings => ({ address: `127.0.0.1:${port}`, namespace: 'default', taskQueue: 'unused', tls: undefined, apiKey: undefined, webUiUrl: undefined });
afterAll(async () => server?.stop());

it('connects to a server that starts after the first attempt gave up, saying it waits', async () => {
  const port = await freePort();
  const warnings: string[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
  const connecting = connectWhenServing(settingsAt(port), log, 60_000);
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  const spawned = spawnDevServer({ cliPath: ensureTemporalCli(), dbFile: undefined, port });
  server = spawned;
  const connection = await connecting;
  await connection.workflowService.getSystemInfo({});
  await connection.close();
  expect(warnings.some((line) => line.includes(`Temporal at 127.0.0.1:${port} does not answer yet`))).toBe(true);
}, 60_000);

it('gives up with the last error once the time is spent', async () => {
  const port = await freePort();
  await expect(connectWhenServing(settingsAt(port), pino({ level: 'silent' }), 0)).rejects.toThrow(/deadline/);
}, 30_000);
