import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiBadRequestResponse, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireScope } from '../auth/scopes';
import { ActionsService, runActionRequestSchema, type ActionResult } from './actions.service';

@ApiTags('applications')
@Controller('applications/:application/actions')
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  @Post(':action/run')
  @RequireScope('operate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Run one action (connector) for a channel now, through Temporal, and return its output' })
  @ApiBody({ schema: z.toJSONSchema(runActionRequestSchema, { io: 'input', target: 'openapi-3.0' }) as Record<string, unknown> })
  @ApiOkResponse({ schema: { type: 'object', properties: { workflowId: { type: 'string' }, runId: { type: 'string' }, output: {} } } })
  @ApiBadRequestResponse({ description: 'Bad body or input; `issues[].field` names the field' })
  @ApiNotFoundResponse({ description: 'Unknown application, action or channel' })
  @ApiBadGatewayResponse({ description: 'The remote service failed the call; `message` and `type` say how' })
  run(@Param('application') application: string, @Param('action') action: string, @Body() body: unknown): Promise<ActionResult> {
    return this.actions.run(application, action, body);
  }
}
