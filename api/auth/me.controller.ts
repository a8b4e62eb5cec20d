/** `GET /me`: who the key in `Authorization` is, and what it may do. The console signs in with it. */
import { Controller, Get, Req, UnauthorizedException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { responseDto } from '../common/openapi';
import { principalOf } from './principal';
import { RequireScope, SCOPES } from './scopes';

export const MeView = z.object({
  keyId: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(SCOPES)).describe('Each scope includes the ones before it: read < operate < admin'),
});
export type MeView = z.infer<typeof MeView>;
export class MeResponse extends responseDto(MeView) {}

@ApiTags('api-keys')
@Controller('me')
export class MeController {
  @Get()
  @RequireScope('read')
  @ApiOperation({ summary: 'The calling key: its id, name and scopes (never the key itself)' })
  @ApiOkResponse({ type: MeResponse })
  @ApiUnauthorizedResponse({ description: 'No key, or not a valid one' })
  me(@Req() req: Request): MeView {
    const principal = principalOf(req);
    if (!principal) throw new UnauthorizedException('an API key is required');
    return { keyId: principal.keyId, name: principal.name, scopes: [...principal.scopes] };
  }
}
