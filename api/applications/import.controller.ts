import { BadRequestException, Body, Controller, HttpStatus, Inject, Post, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { importOpenApi, type ImportResult } from '../../connectors/openapi/import';
import { ImportError } from '../../connectors/openapi/load-document';
import type { ImportedApplicationStore } from '../../store/imported-application-store';
import { parseOrThrow } from '../common/validation';
import { IMPORTED_APPLICATIONS } from '../tokens';

const ImportRequest = z.strictObject({
  /** kebab-case name of the application; default: from the document's info.title. */
  name: z.string().optional(),
  /** The OpenAPI 3.0/3.1 document: JSON or YAML text, or the JSON object itself. */
  document: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
});

@ApiTags('applications')
@Controller('applications')
export class ImportController {
  constructor(@Inject(IMPORTED_APPLICATIONS) private readonly imported: ImportedApplicationStore) {}

  @Post('import')
  @ApiOperation({
    summary: 'Import an OpenAPI 3.0/3.1 document (JSON or YAML) as an application: one action per operation',
    description: 'A changed document becomes a new version (`<name>@v<n>`); the same document again returns its existing version (200). Unsupported parts are listed with where they occur.',
  })
  @ApiBody({ schema: z.toJSONSchema(ImportRequest, { io: 'input', target: 'openapi-3.0' }) as Record<string, unknown> })
  @ApiCreatedResponse({ description: 'A new version', schema: { type: 'object', properties: { application: { type: 'string', example: 'petstore@v1' }, slug: { type: 'string' }, version: { type: 'integer' }, title: { type: 'string' }, actions: { type: 'integer' }, created: { type: 'boolean' }, unsupported: { type: 'array', items: { type: 'object', properties: { location: { type: 'string' }, message: { type: 'string' } } } }, durationMs: { type: 'integer' } } } })
  @ApiOkResponse({ description: 'This document was imported before: its existing version' })
  @ApiBadRequestResponse({ description: 'Not valid JSON/YAML, not OpenAPI 3, invalid by the parser, or external $refs; `issues` say where. Nothing is stored.' })
  async import(@Body() body: unknown, @Res({ passthrough: true }) res: Response): Promise<ImportResult> {
    const request = parseOrThrow(ImportRequest, body);
    try {
      const result = await importOpenApi(this.imported, request.document, request.name);
      res.status(result.created ? HttpStatus.CREATED : HttpStatus.OK);
      return result;
    } catch (err) {
      if (err instanceof ImportError) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: err.message, issues: err.issues });
      throw err;
    }
  }
}
