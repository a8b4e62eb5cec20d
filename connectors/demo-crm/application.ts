/** The demo CRM in `demo/` (a loopback service standing in for a remote CRM), as an application. */
import { z } from 'zod';
import { defineApplication } from '../../applications/framework/application';
import { secret } from '../../applications/framework/secret';

export const demoCrm = defineApplication({
  name: 'demo-crm',
  title: 'Demo CRM',
  settings: z.object({
    baseUrl: z.url().describe('Where the CRM API lives, e.g. http://127.0.0.1:4010'),
  }),
  credentials: z.object({
    apiKey: secret('API key sent as X-API-Key'),
  }),
  baseUrl: (settings) => settings.baseUrl,
  auth: { kind: 'api-key', in: 'header', name: 'X-API-Key', key: (credentials) => credentials.apiKey },
  headers: { accept: 'application/json' },
  timeoutMs: 10_000,
  idempotencyKeyHeader: 'Idempotency-Key',
});
