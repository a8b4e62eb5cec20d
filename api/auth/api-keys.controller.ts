/** `POST`, `GET` and `DELETE /api-keys`: keys are created (shown once), listed (never shown) and revoked. Admin only. */
import { asOpenApi } from '../common/openapi';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyStore, type ApiKeyInfo, type CreatedApiKey } from '../../store/api-key-store';
import { parseOrThrow } from '../common/validation';
import { CreateApiKeyRequest } from './api-key-requests';
import { RequireScope, SCOPES } from './scopes';

const keyInfo = {
  id: { type: 'string', example: 'key_V1StGXR8Z5g' },
  name: { type: 'string', example: 'ci' },
  scopes: { type: 'array', items: { type: 'string', enum: [...SCOPES] } },
  createdAt: { type: 'string', format: 'date-time' },
  lastUsedAt: { type: 'string', format: 'date-time', nullable: true },
};

@ApiTags('api-keys')
@RequireScope('admin')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyStore) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key: the key is in this answer and nowhere else, ever', description: 'Scopes: `read` (GET routes), `operate` (sync, backfill, retry, cancel, run actions; includes read), `admin` (channels\' settings and credentials, imports, keys; includes both).' })
  @ApiBody({ schema: asOpenApi(CreateApiKeyRequest) })
  @ApiCreatedResponse({ schema: { type: 'object', properties: { ...keyInfo, key: { type: 'string', example: 'eng_…', description: 'Shown once' } } } })
  create(@Body() body: unknown): Promise<CreatedApiKey> {
    const request = parseOrThrow(CreateApiKeyRequest, body);
    return this.keys.create(request.name, request.scopes);
  }

  @Get()
  @ApiOperation({ summary: 'Every stored key: name, scopes, creation and last use (never the key). ENGINE_API_KEY is not listed.' })
  @ApiOkResponse({ schema: { type: 'array', items: { type: 'object', properties: keyInfo } } })
  list(): Promise<ApiKeyInfo[]> {
    return this.keys.list();
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke a key: the next call with it answers 401' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  async revoke(@Param('id') id: string): Promise<void> {
    if (!(await this.keys.revoke(id))) throw new NotFoundException(`no API key "${id}"`);
  }
}
