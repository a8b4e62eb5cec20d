/**
 * Resolves `Authorization: Bearer <key>` to a principal: the bootstrap key (ENGINE_API_KEY), a
 * stored key, or the codec token. Runs as the first middleware, before any body is read, so an
 * anonymous caller cannot make the API parse a large body on a management route.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { constantTimeEqual } from '../../applications/framework/webhook-signature';
import { ApiKeyStore } from '../../store/api-key-store';
import { SECURITY_CONFIG } from '../tokens';
import { setAuthentication, type Authentication } from './principal';
import type { SecurityConfig } from './security-config';

const BEARER = /^Bearer[ ]+([\x21-\x7e]{1,512})$/i;

@Injectable()
export class ApiKeyAuthenticator {
  constructor(
    private readonly keys: ApiKeyStore,
    @Inject(SECURITY_CONFIG) private readonly config: SecurityConfig,
  ) {}

  /** Express middleware: notes the caller's authentication on the request for the guard. */
  readonly middleware = (req: Request, _res: Response, next: NextFunction): void => {
    this.authenticate(req.headers.authorization).then(
      (authentication) => {
        setAuthentication(req, authentication);
        next();
      },
      (err: unknown) => next(err),
    );
  };

  async authenticate(header: string | undefined): Promise<Authentication> {
    if (header === undefined || header === '') return { kind: 'none' };
    const match = BEARER.exec(header);
    if (!match) return { kind: 'invalid', reason: 'Authorization must be "Bearer <api key>"' };
    const key = match[1]!;
    if (this.config.bootstrapKey && constantTimeEqual(key, this.config.bootstrapKey)) return { kind: 'key', principal: { keyId: 'bootstrap', name: 'ENGINE_API_KEY', scopes: ['admin'] } };
    if (this.config.codecToken && constantTimeEqual(key, this.config.codecToken)) return { kind: 'key', principal: { keyId: 'codec', name: 'CODEC_AUTH_TOKEN', scopes: ['read'], codecOnly: true } };
    const stored = await this.keys.authenticate(key);
    if (stored) return { kind: 'key', principal: { keyId: stored.id, name: stored.name, scopes: stored.scopes } };
    return { kind: 'invalid', reason: 'unknown or revoked API key' };
  }
}
