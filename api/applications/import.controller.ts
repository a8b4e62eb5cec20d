import { BadRequestException, Body, Controller, HttpStatus, Inject, Post, Query, Res, UnprocessableEntityException } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { ImportError, ImportLimitError } from '../../connectors/openapi/errors';
import { importOpenApi, type ImportResult } from '../../connectors/openapi/import';
import type { ImportedApplicationStore } from '../../store/imported-application-store';
import { parseOrThrow } from '../common/validation';
import { IMPORTED_APPLICATIONS } from '../tokens';

const ImportRequest = z.strictObject({
  /** kebab-case name of the application; default: from the document's info.title. */
  name: z.string().optional(),
  /** The OpenAPI 3.0/3.1 or Swagger 2.0 document: JSON or YAML text, or the JSON object itself. */
  document: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
});

const Strict = z.enum(['true', 'false']).optional();

const issues = { type: 'array', items: { type: 'object', properties: { location: { type: 'string', example: 'components.schemas.issue.properties.number.type' }, message: { type: 'string' } } } };

@ApiTags('applications')
@Controller('applications')
export class ImportController {
  constructor(@Inject(IMPORTED_APPLICATIONS) private readonly imported: ImportedApplicationStore) {}

  @Post('import')
  @ApiOperation({
    summary: 'Import an OpenAPI 3.0/3.1 or Swagger 2.0 document (JSON or YAML) as an application: one action per operation',
    description:
      'A changed document becomes a new version (`<name>@v<n>`); the same document again returns its existing version (200). ' +
      'Lenient by default: validation faults are listed in `warnings` and the document is imported; parts that cannot be imported are listed in `unsupported`, with where they occur. ' +
      'The document is processed in a worker thread within IMPORT_TIMEOUT_MS (default 10 s) and IMPORT_MEMORY_MB (default 256).',
  })
  @ApiQuery({ name: 'strict', required: false, type: Boolean, description: 'true: refuse the document (400) when validation finds a fault, instead of importing it with `warnings`' })
  @ApiBody({ schema: z.toJSONSchema(ImportRequest, { io: 'input', target: 'openapi-3.0' }) as Record<string, unknown> })
  @ApiCreatedResponse({ description: 'A new version', schema: { type: 'object', properties: { application: { type: 'string', example: 'petstore@v1' }, slug: { type: 'string' }, version: { type: 'integer' }, title: { type: 'string' }, actions: { type: 'integer' }, created: { type: 'boolean' }, unsupported: issues, warnings: issues, durationMs: { type: 'integer' } } } })
  @ApiOkResponse({ description: 'This document was imported before: its existing version' })
  @ApiBadRequestResponse({ description: 'Not valid JSON/YAML, not OpenAPI 3 or Swagger 2.0, no `paths`, external $refs, or (with strict=true) invalid by the parser; `issues` say where. Nothing is stored.' })
  @ApiUnprocessableEntityResponse({ description: 'Processing the document went over the time or memory limit (e.g. a `$ref` bomb); `message` says which. Nothing is stored.' })
  async import(@Body() body: unknown, @Query('strict') strictParam: unknown, @Res({ passthrough: true }) res: Response): Promise<ImportResult> {
    const request = parseOrThrow(ImportRequest, body);
    const strict = parseOrThrow(Strict, strictParam, 'strict') === 'true';
    try {
      const result = await importOpenApi(this.imported, request.document, { name: request.name, strict });
      res.status(result.created ? HttpStatus.CREATED : HttpStatus.OK);
      return result;
    } catch (err) {
      if (err instanceof ImportError) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: err.message, issues: err.issues });
      if (err instanceof ImportLimitError) throw new UnprocessableEntityException({ statusCode: 422, error: 'Unprocessable Entity', message: err.message, limit: err.limit });
      throw err;
    }
  }
}
