/**
 * `GET /me`: who the calling key is. A client such as the console signs in with it (a key that
 * answers 200 is valid) and hides what the key's scopes do not allow. Any key may ask: the route
 * needs `read`, which every scope includes.
 */
import { Controller, Get, Req, UnauthorizedException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { CallerResponse, type CallerView } from './api-key-requests';
import { principalOf } from './principal';
import { RequireScope } from './scopes';

@ApiTags('api-keys')
@Controller('me')
export class MeController {
  @Get()
  @RequireScope('read')
  @ApiOperation({
    summary: 'Who the calling API key is: its id, name and scopes',
    description:
      'Any valid key (scope `read` or more). Each scope includes the ones before it: read ⊂ operate ⊂ admin. ENGINE_API_KEY answers `{"keyId": "bootstrap", "name": "ENGINE_API_KEY", "scopes": ["admin"]}`.',
  })
  @ApiOkResponse({ type: CallerResponse })
  @ApiUnauthorizedResponse({ description: 'No key, or an unknown or revoked one' })
  me(@Req() req: Request): CallerView {
    const principal = principalOf(req);
    // The guard lets no call without a key reach a management route; this is for the type.
    if (!principal) throw new UnauthorizedException('this route needs an API key: Authorization: Bearer <key>');
    return { keyId: principal.keyId, name: principal.name, scopes: [...principal.scopes] };
  }
}
