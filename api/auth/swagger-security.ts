/**
 * The Swagger document says what the guard enforces: one bearer scheme (so "Authorize" works),
 * required everywhere except on the routes marked `@Public()`, and the scope each operation needs
 * in `x-required-scope`.
 */
import type { OpenAPIObject } from '@nestjs/swagger';
import { defaultScope } from './scopes';

export const BEARER_SCHEME = 'api-key';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export function declareSecurity(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    securitySchemes: {
      ...document.components?.securitySchemes,
      [BEARER_SCHEME]: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer eng_…` (POST /api-keys, `npm run api-key -- create`, or ENGINE_API_KEY)' },
    },
  };
  document.security = [{ [BEARER_SCHEME]: [] }];
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as (Record<string, unknown> & { security?: unknown }) | undefined;
      if (!operation) continue;
      if (operation['x-public'] === true) {
        operation.security = [];
        delete operation['x-public'];
      } else {
        operation['x-required-scope'] ??= defaultScope(method.toUpperCase());
      }
    }
  }
  return document;
}
