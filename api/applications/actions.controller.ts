import { Body, Controller, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiAcceptedResponse, ApiBadGatewayResponse, ApiBadRequestResponse, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/scopes';
import { RunActionDto } from './action-requests';
import { ActionResultResponse, ActionRunningResponse, type ActionResult, type ActionRunning } from './action-view';
import { ActionsService } from './actions.service';

@ApiTags('applications')
@Controller('applications/:application/actions')
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  @Post(':action/run')
  @RequireScope('operate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Run one action (connector) for a channel now, through Temporal, and return its output' })
  @ApiBody({ type: RunActionDto })
  @ApiOkResponse({ type: ActionResultResponse })
  @ApiAcceptedResponse({ description: 'The run outlasted the wait and is still running: follow `workflowId`', type: ActionRunningResponse })
  @ApiBadRequestResponse({ description: 'Bad body or input; `issues[].field` names the field' })
  @ApiNotFoundResponse({ description: 'Unknown application, action or channel' })
  @ApiBadGatewayResponse({ description: 'The remote service failed the call; `message` and `type` say how' })
  async run(@Param('application') application: string, @Param('action') action: string, @Body() body: RunActionDto, @Res({ passthrough: true }) res: Response): Promise<ActionResult | ActionRunning> {
    const result = await this.actions.run(application, action, body);
    if ('status' in result) res.status(HttpStatus.ACCEPTED);
    return result;
  }
}
