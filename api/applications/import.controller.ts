import { BadRequestException, Body, ConflictException, Controller, HttpException, HttpStatus, Inject, PayloadTooLargeException, Post, Query, Res, UnprocessableEntityException } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ImportError, ImportLimitError } from '../../connectors/openapi/errors';
import { documentBytes, importOpenApi, NameTakenError } from '../../connectors/openapi/import';
import { TooManyVersionsError, ImportedApplicationStore } from '../../store/imported-application-store';
import { ImportBudget, importCapsFromEnv, type ImportCaps, type ImportReservation } from './import-caps';
import { importLimits } from '../../connectors/openapi/worker-runner';
import type { Env } from '../../runtime/config/environment';
import { ENVIRONMENT } from '../tokens';
import { ImportQueryDto, ImportRequestDto, ImportResultResponse, type ImportResult } from './import-requests';

@ApiTags('applications')
@Controller('applications')
export class ImportController {
  /** One for the API process: the controller is a singleton, shared by both listeners. */
  readonly budget: ImportBudget;

  constructor(
    private readonly imported: ImportedApplicationStore,
    @Inject(ENVIRONMENT) private readonly env: Env,
  ) {
    this.budget = new ImportBudget((since) => imported.importsSince(since));
  }

  @Post('import')
  @ApiOperation({
    summary: 'Import an OpenAPI 3.0/3.1 or Swagger 2.0 document (JSON or YAML) as an application: one action per operation',
    description:
      'A changed document becomes a new version (`<name>@v<n>`); the same document again returns its existing version (200). ' +
      'Lenient by default: validation faults are listed in `warnings` and the document is imported; parts that cannot be imported are listed in `unsupported`, with where they occur. ' +
      'The document is processed in a worker thread within IMPORT_TIMEOUT_MS (default 10 s) and IMPORT_MEMORY_MB (default 256). ' +
      'Capped: IMPORT_MAX_VERSIONS versions per application (default 50) and IMPORT_MAX_BYTES_PER_DAY bytes of documents over a rolling 24 hours across all imports (default 100 MiB), counting imports in progress and documents processed without a new version (failed, refused, or YAML found to be imported before) as well; a document over the daily cap is refused before it is processed, even one imported before. ' +
      'A JSON document imported before is found by its hash without being processed again, and costs no bytes.',
  })
  @ApiBody({ type: ImportRequestDto })
  @ApiCreatedResponse({ description: 'A new version', type: ImportResultResponse })
  @ApiOkResponse({ description: 'This document was imported before: its existing version', type: ImportResultResponse })
  @ApiBadRequestResponse({
    description: 'Not valid JSON/YAML, not OpenAPI 3 or Swagger 2.0, no `paths`, external $refs, or (with strict=true) invalid by the parser; `issues` say where. Nothing is stored.',
  })
  @ApiUnprocessableEntityResponse({ description: 'Processing the document went over the time or memory limit (e.g. a `$ref` bomb); `message` says which. Nothing is stored.' })
  @ApiConflictResponse({
    description:
      "The name (given, or derived from the title) is a code-defined application's, or one committed under applications/<name>/ (imported when the system starts), `application` names it; or the application already has IMPORT_MAX_VERSIONS versions, `application` and `versions` say which and how many. Nothing is stored.",
  })
  @ApiTooManyRequestsResponse({
    description:
      'The documents imported, attempted or being imported in the last 24 hours and this one weigh more than IMPORT_MAX_BYTES_PER_DAY; `Retry-After` says in how many seconds enough of them leave the window. Nothing is stored.',
  })
  @ApiPayloadTooLargeResponse({ description: 'The document alone weighs more than IMPORT_MAX_BYTES_PER_DAY. Nothing is stored.' })
  async import(@Body() request: ImportRequestDto, @Query() query: ImportQueryDto, @Res({ passthrough: true }) res: Response): Promise<ImportResult> {
    const strict = query.strict === 'true';
    // Per request, from the environment handed in: checked at start-up, so this does not throw.
    const caps = importCapsFromEnv(this.env);
    const reservation = await this.reserveDailyBytes(caps, documentBytes(request.document), res);
    let processed = false;
    let created = false;
    try {
      const result = await importOpenApi(this.imported, request.document, {
        name: request.name,
        strict,
        maxVersions: caps.maxVersions,
        limits: importLimits(this.env),
        onProcess: () => {
          processed = true;
        },
      });
      created = result.created;
      res.status(result.created ? HttpStatus.CREATED : HttpStatus.OK);
      return result;
    } catch (err) {
      if (err instanceof ImportError) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: err.message, issues: err.issues });
      if (err instanceof ImportLimitError) throw new UnprocessableEntityException({ statusCode: 422, error: 'Unprocessable Entity', message: err.message, limit: err.limit });
      if (err instanceof NameTakenError) throw new ConflictException({ statusCode: 409, error: 'Conflict', message: err.message, application: err.slug });
      if (err instanceof TooManyVersionsError)
        throw new ConflictException({ statusCode: 409, error: 'Conflict', message: err.message, application: err.slug, versions: err.versions, limit: err.maxVersions });
      throw err;
    } finally {
      // Processing costs the document's bytes whether or not a version came of it.
      reservation.end(created ? 'stored' : processed ? 'attempted' : 'unused');
    }
  }

  /**
   * Reserved before the document is processed: a flood must not keep the import worker busy
   * either, and concurrent imports must not all fit in the same remaining bytes.
   */
  private async reserveDailyBytes(caps: ImportCaps, bytes: number, res: Response): Promise<ImportReservation> {
    const limit = caps.maxBytesPerDay;
    if (bytes > limit) {
      throw new PayloadTooLargeException({
        statusCode: 413,
        error: 'Payload Too Large',
        message: `the document has ${bytes} bytes, more than IMPORT_MAX_BYTES_PER_DAY=${limit} allows in 24 hours; nothing was stored`,
        limit,
      });
    }
    const reserved = await this.budget.reserve(bytes, limit);
    if ('reservation' in reserved) return reserved.reservation;
    const { retryAfterSeconds, usedBytes } = reserved;
    res.setHeader('retry-after', String(retryAfterSeconds));
    throw new HttpException(
      {
        statusCode: 429,
        error: 'Too Many Requests',
        message: `imports are capped at ${limit} bytes per 24 hours (IMPORT_MAX_BYTES_PER_DAY): ${usedBytes} were imported, attempted or are being imported in the last 24 hours and this document has ${bytes}; retry in ${retryAfterSeconds} s. Nothing was stored.`,
        retryAfterSeconds,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
