import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConnectorRegistry } from '../../connectors/registry';
import { ApplicationResponse, applicationView, type ApplicationView } from './application-view';

@ApiTags('applications')
@Controller('applications')
export class ApplicationsController {
  constructor(private readonly registry: ConnectorRegistry) {}

  @Get()
  @ApiOperation({ summary: 'Every application with its auth kind and its settings and credentials forms (JSON Schema)' })
  @ApiOkResponse({ type: [ApplicationResponse] })
  async list(): Promise<ApplicationView[]> {
    return (await this.registry.applications()).map(applicationView);
  }
}
