/** The body of `POST /api-keys` and what the key routes answer: zod schemas, DTOs and Swagger schemas in one. */
import { z } from 'zod';
import type { ApiKeyInfo as StoredKeyInfo, CreatedApiKey as StoredCreatedKey } from '../../store/api-key-store';
import { requestDto, responseDto, type Fits } from '../common/openapi';
import { SCOPES } from './scopes';

export const CreateApiKeyRequest = z.strictObject({
  name: z.string().trim().min(1).max(100),
  /** Each scope includes the ones before it: read ⊂ operate ⊂ admin. */
  scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length).describe('Each scope includes the ones before it: read ⊂ operate ⊂ admin'),
});
export type CreateApiKeyRequest = z.output<typeof CreateApiKeyRequest>;
export class CreateApiKeyDto extends requestDto(CreateApiKeyRequest) {}

export const ApiKeyInfo = z.object({
  id: z.string().meta({ example: 'key_V1StGXR8Z5g' }),
  name: z.string().meta({ example: 'ci' }),
  scopes: z.array(z.enum(SCOPES)),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;
export class ApiKeyInfoResponse extends responseDto(ApiKeyInfo) {}

export const CreatedApiKey = ApiKeyInfo.extend({ key: z.string().meta({ example: 'eng_…', description: 'Shown once' }) });
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;
export class CreatedApiKeyResponse extends responseDto(CreatedApiKey) {}

/** What the store gives fits the schemas. */
export type Checks = [Fits<StoredKeyInfo, ApiKeyInfo>, Fits<StoredCreatedKey, CreatedApiKey>];

/** `GET /me`: the calling key as the guard resolved it. */
export const CallerView = z.object({
  keyId: z.string().meta({ example: 'key_V1StGXR8Z5g', description: 'The stored key\'s id; "bootstrap" for ENGINE_API_KEY' }),
  name: z.string().meta({ example: 'console' }),
  scopes: z.array(z.enum(SCOPES)).describe('As the key was given them; each includes the ones before it: read ⊂ operate ⊂ admin'),
});
export type CallerView = z.infer<typeof CallerView>;
export class CallerResponse extends responseDto(CallerView) {}
