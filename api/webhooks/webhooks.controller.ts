import { Body, Controller, Headers, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBody, ApiHeader, ApiNotFoundResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { WebhooksService, type WebhookAccepted } from './webhooks.service';

@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post('*path')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Deliver a webhook to the flow listening on this path',
    description: 'Validates the body against the flow\'s schema (see GET /flows), then starts the flow or signals its entity workflow. Answers only after Temporal accepted the run.',
  })
  @ApiParam({ name: 'path', description: 'The flow\'s webhook path, e.g. demo-crm/orders', example: 'demo-crm/orders' })
  @ApiHeader({ name: 'X-Delivery-Id', required: false, description: 'Provider delivery id; a repeated id starts no second run' })
  @ApiBody({ description: 'JSON body; its schema is the flow\'s bodySchema in GET /flows', schema: { type: 'object' } })
  @ApiAcceptedResponse({ description: 'Temporal accepted the run', schema: { type: 'object', required: ['workflowId', 'runId'], properties: { workflowId: { type: 'string' }, runId: { type: 'string' }, duplicate: { type: 'boolean' } } } })
  @ApiBadRequestResponse({ description: 'The body breaks the flow\'s schema; `issues` names each field' })
  @ApiNotFoundResponse({ description: 'No flow listens on this path' })
  @ApiServiceUnavailableResponse({ description: 'Temporal is not reachable; nothing was started' })
  deliver(@Param('path') path: string | string[], @Body() body: unknown, @Headers() headers: Record<string, string>): Promise<WebhookAccepted> {
    return this.webhooks.accept({ path: Array.isArray(path) ? path.join('/') : path, body, headers });
  }
}
