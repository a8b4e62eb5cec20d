/**
 * A GitHub App's installation token: a JWT the App signs with its private key (RS256), exchanged at
 * `POST /app/installations/{installation_id}/access_tokens` for a token that lasts an hour.
 * https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app
 */
import { createPrivateKey, sign } from 'node:crypto';
import { z } from 'zod';
import type { MintedToken, RequestHookContext } from '../../applications/framework/request-hook';
import { RetryableConnectorError, NonRetryableConnectorError } from '../framework/errors';

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * The App's JWT: issued 60 s in the past (clock drift, as GitHub advises), valid 9 minutes (GitHub
 * allows at most 10), its issuer the App's id.
 */
export function appJwt(appId: string, privateKeyPem: string, now: number = Date.now()): string {
  const iat = Math.floor(now / 1000) - 60;
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ iat, exp: iat + 600 - 60, iss: appId }));
  const key = createPrivateKey(privateKeyPem);
  return `${header}.${payload}.${base64url(sign('sha256', Buffer.from(`${header}.${payload}`), key))}`;
}

const AccessToken = z.object({ token: z.string().min(1), expires_at: z.string() });

interface AppCredentials {
  appId?: string;
  installationId?: string;
  privateKey?: string;
}

/** The channel's installation token, minted once and reused until a minute before it expires. */
export async function installationToken(
  credentials: AppCredentials,
  settings: { baseUrl: string; apiVersion: string },
  context: Pick<RequestHookContext<unknown, unknown>, 'token' | 'send'>,
): Promise<string> {
  const { appId, installationId, privateKey } = credentials;
  if (!appId || !installationId || !privateKey) throw new NonRetryableConnectorError('github', 'the channel has neither a token nor the App fields', 'InvalidChannelConfig');
  return context.token(`installation:${installationId}`, async (): Promise<MintedToken> => {
    const url = `${settings.baseUrl.replace(/\/+$/, '')}/app/installations/${encodeURIComponent(installationId)}/access_tokens`;
    const answer = await context.send({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${appJwt(appId, privateKey)}`, accept: 'application/vnd.github+json', 'x-github-api-version': settings.apiVersion },
    });
    if (answer.status >= 500) throw new RetryableConnectorError('github', `installation token: HTTP ${answer.status}`, `HttpStatus${answer.status}`, answer.status);
    const parsed = AccessToken.safeParse(answer.body);
    if (answer.status !== 201 || !parsed.success) {
      // GitHub's error body is {message, documentation_url}: no secret in it.
      const message = z.object({ message: z.string() }).safeParse(answer.body);
      throw new NonRetryableConnectorError('github', `installation token: HTTP ${answer.status}${message.success ? `: ${message.data.message}` : ''}`, 'InstallationTokenRefused', answer.status);
    }
    return { value: parsed.data.token, expiresAt: new Date(parsed.data.expires_at) };
  });
}
