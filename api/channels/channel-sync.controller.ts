import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/scopes';
import { BackfillRequestDto, SyncRequestDto } from './channel-requests';
import { BackfillStartedResponse, SyncCursorResponse, SyncStartedResponse, type BackfillStarted, type SyncCursorView, type SyncStarted } from './channel-sync-view';
import { ChannelSyncService } from './channel-sync.service';

@ApiTags('channels')
@Controller('channels')
export class ChannelSyncController {
  constructor(private readonly sync: ChannelSyncService) {}

  @Post(':id/sync')
  @RequireScope('operate')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: "Run the channel's polling flows now", description: 'Incremental from the stored cursor; `{"full": true}` reads everything again (a full resync). The body is optional.' })
  @ApiBody({ required: false, type: SyncRequestDto })
  @ApiAcceptedResponse({ type: SyncStartedResponse })
  @ApiBadRequestResponse()
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The channel is disabled, or its application has no polling flow' })
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable; nothing was started' })
  syncNow(@Param('id') id: string, @Body() body: SyncRequestDto): Promise<SyncStarted> {
    return this.sync.syncNow(id, body);
  }

  @Post(':id/backfill')
  @RequireScope('operate')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Re-run the polling flows over a past time range (Temporal schedule backfill)',
    description: "Each schedule tick in the range runs once, one after another; each such run syncs the records changed in its own interval and leaves the channel's cursor alone.",
  })
  @ApiBody({ type: BackfillRequestDto })
  @ApiAcceptedResponse({ type: BackfillStartedResponse })
  @ApiBadRequestResponse({ description: 'from/to missing, malformed, reversed, in the future, or spanning too many runs' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The channel is disabled, or its application has no polling flow' })
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable; nothing was started' })
  backfill(@Param('id') id: string, @Body() body: BackfillRequestDto): Promise<BackfillStarted> {
    return this.sync.backfill(id, body);
  }

  @Get(':id/cursors')
  @ApiOperation({ summary: "Where each polling flow's incremental sync stands for this channel" })
  @ApiOkResponse({ type: [SyncCursorResponse] })
  @ApiNotFoundResponse()
  cursors(@Param('id') id: string): Promise<SyncCursorView[]> {
    return this.sync.cursorsOf(id);
  }
}
