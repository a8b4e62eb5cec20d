import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { asOpenApi } from '../common/openapi';
import type { SyncCursor } from '../../store/sync-cursor-store';
import { RequireScope } from '../auth/scopes';
import { SyncRequest } from './channel-requests';
import { ChannelSyncService, type BackfillStarted, type SyncStarted } from './channel-sync.service';


@ApiTags('channels')
@Controller('channels')
export class ChannelSyncController {
  constructor(private readonly sync: ChannelSyncService) {}

  @Post(':id/sync')
  @RequireScope('operate')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: "Run the channel's polling flows now", description: 'Incremental from the stored cursor; `{"full": true}` reads everything again (a full resync). The body is optional.' })
  @ApiBody({ required: false, schema: asOpenApi(SyncRequest) })
  @ApiAcceptedResponse({ schema: { type: 'object', properties: { channelId: { type: 'string' }, full: { type: 'boolean' }, workflows: { type: 'array', items: { type: 'object', properties: { flow: { type: 'string' }, workflowId: { type: 'string' }, runId: { type: 'string' } } } } } } })
  @ApiBadRequestResponse()
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The channel is disabled, or its application has no polling flow' })
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable; nothing was started' })
  syncNow(@Param('id') id: string, @Body() body: unknown): Promise<SyncStarted> {
    return this.sync.syncNow(id, body);
  }

  @Post(':id/backfill')
  @RequireScope('operate')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Re-run the polling flows over a past time range (Temporal schedule backfill)',
    description: "Each schedule tick in the range runs once, one after another; each such run syncs the records changed in its own interval and leaves the channel's cursor alone.",
  })
  @ApiBody({ schema: { type: 'object', required: ['from', 'to'], properties: { from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' } }, example: { from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' } } })
  @ApiAcceptedResponse({ schema: { type: 'object', properties: { channelId: { type: 'string' }, from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' }, schedules: { type: 'array', items: { type: 'object', properties: { flow: { type: 'string' }, scheduleId: { type: 'string' } } } } } } })
  @ApiBadRequestResponse({ description: 'from/to missing, malformed, reversed, in the future, or spanning too many runs' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The channel is disabled, or its application has no polling flow' })
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable; nothing was started' })
  backfill(@Param('id') id: string, @Body() body: unknown): Promise<BackfillStarted> {
    return this.sync.backfill(id, body);
  }

  @Get(':id/cursors')
  @ApiOperation({ summary: "Where each polling flow's incremental sync stands for this channel" })
  @ApiOkResponse({ schema: { type: 'array', items: { type: 'object', properties: { channelId: { type: 'string' }, flow: { type: 'string' }, cursor: { type: 'string' }, updatedAt: { type: 'string', format: 'date-time' } } } } })
  @ApiNotFoundResponse()
  cursors(@Param('id') id: string): Promise<SyncCursor[]> {
    return this.sync.cursorsOf(id);
  }
}
