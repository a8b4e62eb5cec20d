/**
 * The one gate every route passes (a global guard). Public routes pass, a key optional where the
 * route says so. Management routes, in order:
 *   - with ADMIN_PORT, only on the admin listener (404 on the public one);
 *   - only for Host names the deployment owns (403: defeats DNS rebinding);
 *   - only with JSON bodies (415: a web page's form post cannot drive them);
 *   - only with a known key (401) whose scopes cover the route's (403).
 */
import { ForbiddenException, HttpException, HttpStatus, Inject, Injectable, NotFoundException, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { PUBLIC_URL, SECURITY_CONFIG } from '../tokens';
import { authenticationOf } from './principal';
import { CODEC_TOKEN_ACCEPTED, covers, defaultScope, PUBLIC_ROUTE, ROUTE_SCOPE, type PublicRoute, type Scope } from './scopes';
import type { SecurityConfig } from './security-config';
import { cameInOnAdminListener } from './surface';

@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly allowedHosts: ReadonlySet<string>;

  constructor(
    private readonly reflector: Reflector,
    @Inject(SECURITY_CONFIG) private readonly config: SecurityConfig,
    @Inject(PUBLIC_URL) private readonly publicUrl: () => string,
  ) {
    this.allowedHosts = new Set(config.allowedHosts.map(normaliseHost));
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const targets = [context.getHandler(), context.getClass()];
    const publicRoute = this.reflector.getAllAndOverride<PublicRoute | undefined>(PUBLIC_ROUTE, targets);
    const authentication = authenticationOf(req);
    if (publicRoute) {
      if (publicRoute.optionalKey && authentication.kind === 'invalid') throw this.unauthorized(context, authentication.reason);
      return true;
    }
    // As if the route did not exist: the public listener does not reveal what the admin one serves.
    if (this.config.separateAdminListener && !cameInOnAdminListener(req)) throw new NotFoundException(`Cannot ${req.method} ${req.path}`);
    this.checkHost(req);
    checkJsonBody(req);
    if (authentication.kind === 'none') throw this.unauthorized(context, 'this route needs an API key: Authorization: Bearer <key>');
    if (authentication.kind === 'invalid') throw this.unauthorized(context, authentication.reason);
    const { principal } = authentication;
    if (principal.codecOnly && !this.reflector.getAllAndOverride<boolean | undefined>(CODEC_TOKEN_ACCEPTED, targets)) {
      throw new ForbiddenException('CODEC_AUTH_TOKEN is good for the codec routes only');
    }
    const needed = this.reflector.getAllAndOverride<Scope | undefined>(ROUTE_SCOPE, targets) ?? defaultScope(req.method);
    if (!covers(principal.scopes, needed))
      throw new ForbiddenException(`this route needs a key with scope "${needed}"; key "${principal.name}" has ${principal.scopes.map((s) => `"${s}"`).join(', ') || 'none'}`);
    return true;
  }

  private checkHost(req: Request): void {
    const host = hostnameOf(req.headers.host);
    if (host !== undefined && (this.allowedHosts.has(host) || host === this.publicHost())) return;
    throw new ForbiddenException(`Host "${req.headers.host ?? ''}" is not one this deployment answers management calls for (PUBLIC_URL, HOST, ADMIN_HOST or ALLOWED_HOSTS)`);
  }

  private publicHost(): string | undefined {
    try {
      return normaliseHost(new URL(this.publicUrl()).hostname);
    } catch {
      return undefined;
    }
  }

  private unauthorized(context: ExecutionContext, message: string): UnauthorizedException {
    context.switchToHttp().getResponse<Response>().setHeader('www-authenticate', 'Bearer realm="management"');
    return new UnauthorizedException(message);
  }
}

/** A management route takes JSON or nothing: forms, multipart and text/plain are what a web page can post cross-site. */
function checkJsonBody(req: Request): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!hasBody) return;
  if (req.is('application/json') === 'application/json') return;
  throw new HttpException(
    { statusCode: 415, error: 'Unsupported Media Type', message: `management routes take only Content-Type: application/json bodies, not "${req.headers['content-type'] ?? '(none)'}"` },
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  );
}

function hostnameOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  try {
    return normaliseHost(new URL(`http://${header}`).hostname);
  } catch {
    return undefined;
  }
}

/** Lower case, IPv6 without brackets, no trailing dot: the forms one name can be written in. */
function normaliseHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}
