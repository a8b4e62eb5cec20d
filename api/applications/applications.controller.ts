import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ConnectorRegistry } from '../../connectors/registry';
import { parseApplicationName } from '../../connectors/openapi/spec';
import { ImportedApplicationStore } from '../../store/imported-application-store';
import {
  ApplicationDetailResponse,
  ApplicationResponse,
  applicationView,
  connectorView,
  importedActionView,
  type ActionView,
  type ApplicationDetailView,
  type ApplicationView,
} from './application-view';

@ApiTags('applications')
@Controller('applications')
export class ApplicationsController {
  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly imported: ImportedApplicationStore,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every application with its auth kind and its settings and credentials forms (JSON Schema)' })
  @ApiOkResponse({ type: [ApplicationResponse] })
  async list(): Promise<ApplicationView[]> {
    return (await this.registry.applications()).map(applicationView);
  }

  @Get(':name')
  @ApiOperation({
    summary: 'One application with its forms and its actions, each with the JSON Schema of its input and output',
    description:
      'For code-defined (`demo-crm`) and imported (`petstore@v1`) applications alike. ' +
      "An imported action's schemas are the document's, in its dialect (OpenAPI 3.0 or JSON Schema 2020-12), with the `components` they reference beside them.",
  })
  @ApiParam({ name: 'name', example: 'demo-crm' })
  @ApiOkResponse({ type: ApplicationDetailResponse })
  @ApiNotFoundResponse({ description: 'No application of that name' })
  async get(@Param('name') name: string): Promise<ApplicationDetailView> {
    const application = await this.registry.application(name);
    const actions = application && (await this.actionsOf(name));
    if (!application || !actions) throw new NotFoundException(`no application "${name}"`);
    return { ...applicationView(application), actions };
  }

  /** Imported actions from the stored spec, where their JSON Schemas are; code-defined ones from their zod schemas. */
  private async actionsOf(name: string): Promise<ActionView[] | undefined> {
    const parsed = parseApplicationName(name);
    if (!parsed) return (await this.registry.actionsOf(name)).map(connectorView);
    const spec = await this.imported.get(parsed.slug, parsed.version);
    return spec?.actions.map((action) => importedActionView(spec, action));
  }
}
