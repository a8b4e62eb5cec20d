/** Redis for n8n's queue mode: Debian's redis-server (installed with apt when missing), in memory, on loopback. */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { freePort } from '../../test/support/ports';
import { stopChild, waitFor } from '../support/processes';

const REDIS_SERVER = '/usr/bin/redis-server';

export async function startRedis(log: (line: string) => void): Promise<{ port: number; pid: number; stop(): Promise<void> }> {
  if (!existsSync(REDIS_SERVER)) {
    log('installing redis-server with apt');
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  const port = await freePort();
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const answers = () =>
    new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  await waitFor(answers, 20_000, `redis-server on ${port}`, [child]);
  return { port, pid: child.pid!, stop: () => stopChild(child) };
}
