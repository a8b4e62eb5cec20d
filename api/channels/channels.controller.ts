import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { RunResponse, type RunView } from '../runs/run-view';
import { ChannelRunsQueryDto, CreateChannelDto, UpdateChannelDto } from './channel-requests';
import { ChannelResponse, type ChannelView } from './channel-view';
import { ChannelsService } from './channels.service';

@ApiTags('channels')
@Controller('channels')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a channel: a configured instance of an application',
    description: "Settings and credentials are validated against the application's forms (GET /applications). Its polling flows get their schedules.",
  })
  @ApiBody({ type: CreateChannelDto })
  @ApiCreatedResponse({ type: ChannelResponse })
  @ApiBadRequestResponse({ description: '`issues[].field` names each bad field, e.g. `settings.baseUrl`' })
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable; nothing was created' })
  create(@Body() body: CreateChannelDto): Promise<ChannelView> {
    return this.channels.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'Every channel (credentials masked)' })
  @ApiOkResponse({ type: [ChannelResponse] })
  list(): Promise<ChannelView[]> {
    return this.channels.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One channel (credentials masked)' })
  @ApiOkResponse({ type: ChannelResponse })
  @ApiNotFoundResponse()
  get(@Param('id') id: string): Promise<ChannelView> {
    return this.channels.get(id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Rename, change settings or credentials, enable or disable',
    description:
      "Disabling pauses the channel's schedules, enabling resumes them. Credentials are merged; a masked value keeps the stored one. Credentials and tokens are bound to the origins they were given for: moving the base URL or an OAuth endpoint to another origin needs the secret credentials again (else 409) and clears the OAuth tokens (re-authorization).",
  })
  @ApiBody({ type: UpdateChannelDto })
  @ApiOkResponse({ type: ChannelResponse })
  @ApiBadRequestResponse({ description: "`issues[].field` names each bad field; a host outside the application's `allowedHosts` names the setting" })
  @ApiNotFoundResponse()
  @ApiConflictResponse({
    description:
      "The change moves the channel's base URL or OAuth endpoints to another origin without its secret credentials given again in the same request; `issues[].field` names each one to give. Nothing changed.",
  })
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable; nothing was changed' })
  update(@Param('id') id: string, @Body() body: UpdateChannelDto): Promise<ChannelView> {
    return this.channels.update(id, body);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a channel and its schedules' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable; nothing was deleted' })
  remove(@Param('id') id: string): Promise<void> {
    return this.channels.remove(id);
  }

  @Get(':id/runs')
  @ApiOperation({ summary: "Recent runs of the channel, from Temporal's visibility (search attribute ChannelId)", description: 'The same view as GET /runs?channel=<id>.' })
  @ApiOkResponse({ type: [RunResponse] })
  @ApiBadRequestResponse({ description: '`limit` is not an integer from 1 to 200' })
  @ApiNotFoundResponse()
  runs(@Param('id') id: string, @Query() query: ChannelRunsQueryDto): Promise<RunView[]> {
    return this.channels.runs(id, query.limit);
  }
}
