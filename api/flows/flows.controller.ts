import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FlowRegistry } from '../../workflows/framework/flow';
import { FLOW_REGISTRY } from '../tokens';
import { flowView, type FlowView } from './flow-view';

@ApiTags('flows')
@Controller('flows')
export class FlowsController {
  constructor(@Inject(FLOW_REGISTRY) private readonly flows: FlowRegistry) {}

  @Get()
  @ApiOperation({ summary: 'Every registered flow with its trigger' })
  @ApiOkResponse({
    description:
      'Polling triggers: `{type:"polling", every, scheduleId, overlap, catchupWindow, jitter}`. Webhook triggers: `{type:"webhook", path, url, mode, bodySchema (JSON Schema), example}`.',
    schema: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'trigger'],
        properties: {
          name: { type: 'string' },
          description: { type: 'string' },
          application: { type: 'string' },
          trigger: { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: ['polling', 'webhook'] } } },
        },
      },
    },
  })
  list(): FlowView[] {
    return this.flows.all.map(flowView);
  }
}
