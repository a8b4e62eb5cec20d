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
      'Polling triggers: `{type:"polling", every, scheduleId, overlap, catchupWindow, jitter}`. Webhook triggers: `{type:"webhook", path, url, mode, bodySchema (JSON Schema), example, signature, deliveryId}`, where `signature` is `{scheme, header}` (e.g. `{"scheme":"standard-webhooks","header":"webhook-signature"}`) or `"unsigned"` for a flow that opted in to deliveries nobody signed, and `deliveryId` says where the id that dedupes comes from (see POST /webhooks/{path}).',
    schema: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'trigger'],
        properties: {
          name: { type: 'string' },
          description: { type: 'string' },
          application: { type: 'string' },
          trigger: {
            oneOf: [
              {
                type: 'object',
                title: 'polling',
                required: ['type', 'every', 'scheduleId', 'overlap', 'catchupWindow', 'jitter'],
                properties: {
                  type: { type: 'string', enum: ['polling'] },
                  every: { oneOf: [{ type: 'string' }, { type: 'number' }] },
                  scheduleId: { type: 'string' },
                  overlap: { type: 'string', enum: ['skip', 'bufferOne', 'allow'] },
                  catchupWindow: { oneOf: [{ type: 'string' }, { type: 'number' }] },
                  jitter: { oneOf: [{ type: 'string' }, { type: 'number' }], nullable: true },
                },
              },
              {
                type: 'object',
                title: 'webhook',
                required: ['type', 'path', 'url', 'mode', 'bodySchema', 'example', 'signature', 'deliveryId'],
                properties: {
                  type: { type: 'string', enum: ['webhook'] },
                  path: { type: 'string', example: 'demo-crm/orders' },
                  url: { type: 'string', example: '/webhooks/demo-crm/orders' },
                  mode: { type: 'string', enum: ['start', 'signal'] },
                  bodySchema: { type: 'object', description: 'JSON Schema of the body' },
                  example: { type: 'object' },
                  signature: {
                    oneOf: [
                      { type: 'object', required: ['scheme', 'header'], properties: { scheme: { type: 'string', example: 'stripe' }, header: { type: 'string', example: 'stripe-signature' } } },
                      { type: 'string', enum: ['unsigned'] },
                    ],
                  },
                  deliveryId: {
                    type: 'object',
                    required: ['source'],
                    description:
                      '`signed-header` (the signed `header` is the id), `signed-body-field` (the signed body\'s `field`), `body-hash` (the signed body\'s hash; header ids are not signed, so they do not count), `header-and-body-hash` (unsigned: the `header` id, else the body\'s `field`, combined with the body\'s hash)',
                    properties: {
                      source: { type: 'string', enum: ['signed-header', 'signed-body-field', 'body-hash', 'header-and-body-hash'] },
                      header: { type: 'string' },
                      field: { type: 'string' },
                    },
                  },
                },
              },
            ],
          },
        },
      },
    },
  })
  list(): FlowView[] {
    return this.flows.all.map(flowView);
  }
}
