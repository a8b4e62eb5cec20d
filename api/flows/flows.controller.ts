import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConnectorRegistry } from '../../connectors/registry';
import { flowApplications, type FlowRegistry } from '../../workflows/framework/flow';
import { FLOW_REGISTRY } from '../tokens';
import { FlowResponse, flowView, type FlowView } from './flow-view';

@ApiTags('flows')
@Controller('flows')
export class FlowsController {
  constructor(
    @Inject(FLOW_REGISTRY) private readonly flows: FlowRegistry,
    private readonly registry: ConnectorRegistry,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every registered flow with its trigger' })
  @ApiOkResponse({
    description:
      'Polling triggers: `{type:"polling", every, scheduleId, overlap, catchupWindow, jitter}`. Webhook triggers: `{type:"webhook", path, url, mode, bodySchema (JSON Schema), example, signature, deliveryId}`, where `signature` is `{scheme, header}` (e.g. `{"scheme":"standard-webhooks","header":"webhook-signature"}`) or `"unsigned"` for a flow that opted in to deliveries nobody signed, and `deliveryId` says where the id that dedupes comes from (see POST /webhooks/{path}).',
    type: [FlowResponse],
  })
  async list(): Promise<FlowView[]> {
    const applications = await flowApplications(this.flows, this.registry);
    return this.flows.all.map((flow) => flowView(flow, applications.get(flow.application)!));
  }
}
