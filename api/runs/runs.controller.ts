import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/scopes';
import { RunsQueryDto } from './run-requests';
import { RunResponse, RunStartedResponse, type RunStarted, type RunView } from './run-view';
import { RunsService } from './runs.service';

const workflowIdParam = { name: 'workflowId', description: 'The run\'s workflow id, URL-encoded (ids contain "/"), e.g. orderPlaced%2Fdemo-crm-default%2Fd-1' };

@ApiTags('runs')
@Controller('runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Get()
  @ApiOperation({ summary: "Flow runs from Temporal's visibility, newest first, with the failure message of failed ones" })
  @ApiOkResponse({ type: [RunResponse] })
  @ApiBadRequestResponse({ description: 'An unknown status or a malformed filter; the message names the field' })
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable' })
  list(@Query() query: RunsQueryDto): Promise<RunView[]> {
    return this.runs.list(query);
  }

  @Post(':workflowId/retry')
  @RequireScope('operate')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Run a failed (cancelled, terminated, timed-out) run again with the same input',
    description: 'Temporal reset to the first workflow task: same workflow id and input, a new run id; the old run stays in the history.',
  })
  @ApiParam(workflowIdParam)
  @ApiAcceptedResponse({ type: RunStartedResponse })
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
  @ApiAcceptedResponse({ type: RunStartedResponse })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The run is not running' })
  cancel(@Param('workflowId') workflowId: string): Promise<RunStarted> {
    return this.runs.cancel(workflowId);
  }
}
