import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/scopes';
import { RUN_STATUSES } from './run-requests';
import { asOpenApi } from '../common/openapi';
import { RunStarted, RunView } from './run-view';
import { RunsService } from './runs.service';

const runSchema = asOpenApi(RunView, 'output');
const startedSchema = asOpenApi(RunStarted, 'output');
const workflowIdParam = { name: 'workflowId', description: 'The run\'s workflow id, URL-encoded (ids contain "/"), e.g. orderPlaced%2Fdemo-crm-default%2Fd-1' };

@ApiTags('runs')
@Controller('runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Get()
  @ApiOperation({ summary: "Flow runs from Temporal's visibility, newest first, with the failure message of failed ones" })
  @ApiQuery({ name: 'status', required: false, enum: Object.keys(RUN_STATUSES) })
  @ApiQuery({ name: 'flow', required: false })
  @ApiQuery({ name: 'channel', required: false })
  @ApiQuery({ name: 'application', required: false })
  @ApiQuery({ name: 'trigger', required: false, enum: ['polling', 'webhook', 'manual', 'backfill'] })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 20 } })
  @ApiOkResponse({ schema: { type: 'array', items: runSchema } })
  @ApiBadRequestResponse({ description: 'An unknown status or a malformed filter; the message names the field' })
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable' })
  list(@Query() query: Record<string, string>): Promise<RunView[]> {
    return this.runs.list(query);
  }

  @Post(':workflowId/retry')
  @RequireScope('operate')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Run a failed (cancelled, terminated, timed-out) run again with the same input', description: 'Temporal reset to the first workflow task: same workflow id and input, a new run id; the old run stays in the history.' })
  @ApiParam(workflowIdParam)
  @ApiAcceptedResponse({ schema: startedSchema })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The run is still running, or completed' })
  retry(@Param('workflowId') workflowId: string): Promise<RunStarted> {
    return this.runs.retry(workflowId);
  }

  @Post(':workflowId/cancel')
  @RequireScope('operate')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Cancel a running run (e.g. one waiting on a broken connector)' })
  @ApiParam(workflowIdParam)
  @ApiAcceptedResponse({ schema: startedSchema })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The run is not running' })
  cancel(@Param('workflowId') workflowId: string): Promise<RunStarted> {
    return this.runs.cancel(workflowId);
  }
}
