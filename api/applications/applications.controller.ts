import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConnectorRegistry } from '../../connectors/registry';
import { applicationView, type ApplicationView } from './application-view';

@ApiTags('applications')
@Controller('applications')
export class ApplicationsController {
  constructor(private readonly registry: ConnectorRegistry) {}

  @Get()
  @ApiOperation({ summary: 'Every application with its auth kind and its settings and credentials forms (JSON Schema)' })
  @ApiOkResponse({
    schema: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          title: { type: 'string' },
          auth: { type: 'object', properties: { kind: { type: 'string' } } },
          settingsSchema: { type: 'object' },
          credentialsSchema: { type: 'object', description: 'Every property is writeOnly; secrets also have format: password' },
        },
      },
    },
  })
  async list(): Promise<ApplicationView[]> {
    return (await this.registry.applications()).map(applicationView);
  }
}
