import { z } from 'zod';
import { secret } from './secret';

/** What every OAuth 2.0 application's channel holds to be a client of its authorization server. */
export function oauthClientCredentials() {
  return z.object({
    clientId: z.string().min(1).describe('OAuth client id'),
    clientSecret: secret('OAuth client secret'),
  });
}
