/** `GET /channels/:id/schedules` and `GET /schedules`: where the polling schedules stand in Temporal (paused and why, next and last run). */
import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ChannelScheduleResponse, ScheduleResponse, type ChannelScheduleView, type ScheduleView } from './channel-schedule-view';
import { ChannelSyncService } from './channel-sync.service';

const FROM_TEMPORAL =
  "Read from Temporal's schedules themselves (describe), not from visibility, which lags. A schedule Temporal does not have (yet: the worker creates missing ones when it starts) is left out.";

@ApiTags('channels')
@Controller()
export class ChannelSchedulesController {
  constructor(private readonly sync: ChannelSyncService) {}

  @Get('channels/:id/schedules')
  @ApiOperation({ summary: "The channel's polling schedules: one per polling flow of its application, paused or not, with the next and last run", description: FROM_TEMPORAL })
  @ApiOkResponse({ type: [ChannelScheduleResponse] })
  @ApiNotFoundResponse()
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable' })
  ofChannel(@Param('id') id: string): Promise<ChannelScheduleView[]> {
    return this.sync.schedulesOf(id);
  }

  @Get('schedules')
  @ApiOperation({
    summary: "Every channel's polling schedules, naming the channel: paused ones (a disabled channel's, with Temporal's note) and when each runs next",
    description: `${FROM_TEMPORAL} Channels in the order GET /channels lists them, each channel's flows in the registry's order.`,
  })
  @ApiOkResponse({ type: [ScheduleResponse] })
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable' })
  all(): Promise<ScheduleView[]> {
    return this.sync.allSchedules();
  }
}
