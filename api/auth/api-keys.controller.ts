/** `POST`, `GET` and `DELETE /api-keys`: keys are created (shown once), listed (never shown) and revoked. Admin only. */
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyStore } from '../../store/api-key-store';
import { ApiKeyInfoResponse, CreateApiKeyDto, CreatedApiKeyResponse, type ApiKeyInfo, type CreatedApiKey } from './api-key-requests';
import { RequireScope } from './scopes';

@ApiTags('api-keys')
@RequireScope('admin')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyStore) {}

  @Post()
  @ApiOperation({
    summary: 'Create an API key: the key is in this answer and nowhere else, ever',
    description: "Scopes: `read` (GET routes), `operate` (sync, backfill, retry, cancel, run actions; includes read), `admin` (channels' settings and credentials, imports, keys; includes both).",
  })
  @ApiBody({ type: CreateApiKeyDto })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  create(@Body() request: CreateApiKeyDto): Promise<CreatedApiKey> {
    return this.keys.create(request.name, request.scopes);
  }

  @Get()
  @ApiOperation({ summary: 'Every stored key: name, scopes, creation and last use (never the key). ENGINE_API_KEY is not listed.' })
  @ApiOkResponse({ type: [ApiKeyInfoResponse] })
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
