import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface TestOAuthServer {
  /** The authorization server's issuer URL (http://localhost:<port>). */
  issuer: string;
  /** The protected API. */
  resourceUrl: string;
  grants(): Promise<{ authorization_code: number; refresh_token: number; client_credentials: number }>;
  /** When the protected API's /api/products was called (ms since epoch). */
  productCalls(): Promise<number[]>;
  configure(config: { expiresIn?: number; rejectRefresh?: boolean }): Promise<void>;
  /** Makes every access token issued so far invalid at the resource server. */
  revokeIssued(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestOAuthServer(): Promise<TestOAuthServer> {
  const child = spawn(process.execPath, [join(__dirname, 'oauth-server-process.mjs')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const [issuer, resourceUrl] = await new Promise<[string, string]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`OAuth server did not start: ${output}`)), 30_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const match = /READY (\S+) (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve([match[1]!.replace(/\/$/, ''), match[2]!]);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`OAuth server exited with ${code}: ${output}`)));
  });
  const admin = async (path: string, body?: unknown) => {
    const res = await fetch(`${resourceUrl}/_admin/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return res.json();
  };
  return {
    issuer,
    resourceUrl,
    grants: async () => ((await admin('stats')) as { grants: Awaited<ReturnType<TestOAuthServer['grants']>> }).grants,
    productCalls: async () => ((await admin('stats')) as { productCalls: number[] }).productCalls,
    configure: async (config) => void (await admin('config', config)),
    revokeIssued: async () => void (await admin('revoke', {})),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
