import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { RequireScope } from '../auth/scopes';
import { parseOrThrow } from '../common/validation';
import { RunsQueryDto, WorkflowIdParam } from './run-requests';
import { RunProgressResponse, RunResponse, RunStartedResponse, type RunProgress, type RunStarted, type RunView } from './run-view';
import { PROGRESS_QUERY_TIMEOUT_MS, RunsService } from './runs.service';

const workflowIdParam = { name: 'workflowId', description: 'The run\'s workflow id, URL-encoded (ids contain "/"), e.g. orderPlaced%2Fdemo-crm-default%2Fd-1' };
const badWorkflowId = { description: '`workflowId` is empty, longer than 1,000 characters or holds control characters; the message names it' };

/** The decoded `:workflowId`, or 400 naming it. */
const workflowIdOf = (raw: string): string => parseOrThrow(WorkflowIdParam, raw, 'workflowId');

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
  @ApiBadRequestResponse(badWorkflowId)
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The run is still running, or completed' })
  retry(@Param('workflowId') workflowId: string): Promise<RunStarted> {
    return this.runs.retry(workflowIdOf(workflowId));
  }

  @Post(':workflowId/cancel')
  @RequireScope('operate')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Cancel a running run (e.g. one waiting on a broken connector)' })
  @ApiParam(workflowIdParam)
  @ApiAcceptedResponse({ type: RunStartedResponse })
  @ApiBadRequestResponse(badWorkflowId)
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The run is not running' })
  cancel(@Param('workflowId') workflowId: string): Promise<RunStarted> {
    return this.runs.cancel(workflowIdOf(workflowId));
  }

  @Get(':workflowId/progress')
  @ApiOperation({
    summary: "A polling run's progress: pages done, its counts (copied, removed, …) and the feed's cursor, from its syncProgress query",
    description:
      'The latest run of the workflow id, running or closed (a closed run is replayed on a worker to answer). A run without that query (a webhook flow, an action) answers `progress: null`. ' +
      `The query waits at most ${PROGRESS_QUERY_TIMEOUT_MS / 1000} s for a worker.`,
  })
  @ApiParam(workflowIdParam)
  @ApiOkResponse({ type: RunProgressResponse })
  @ApiBadRequestResponse(badWorkflowId)
  @ApiNotFoundResponse({ description: 'No run with this workflow id' })
  @ApiBadGatewayResponse({ description: 'The run has a syncProgress query, and it failed or answered something else than a progress' })
  @ApiServiceUnavailableResponse({ description: `Temporal unreachable, or no worker answered the query within ${PROGRESS_QUERY_TIMEOUT_MS / 1000} s (none polls the run's task queue)` })
  progress(@Param('workflowId') workflowId: string): Promise<RunProgress> {
    return this.runs.progress(workflowIdOf(workflowId));
  }
}
