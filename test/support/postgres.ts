import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './ports';

export interface TestPostgres {
  url: string;
  /** The process that runs PostgreSQL (its server processes are below it). */
  pid: number | undefined;
  stop(): Promise<void>;
}

/** `serverScript`: another copy of postgres-server.mjs (the private-folder test runs one from a clone elsewhere). */
export async function startTestPostgres(serverScript = join(__dirname, 'postgres-server.mjs')): Promise<TestPostgres> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [serverScript, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start within 60 s: ${output}`)), 60_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const match = /READY (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`PostgreSQL exited with ${code}: ${output}`)));
  });
  return {
    url,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
