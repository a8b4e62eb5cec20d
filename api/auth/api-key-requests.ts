import { z } from 'zod';
import { SCOPES } from './scopes';

export const CreateApiKeyRequest = z.strictObject({
  name: z.string().trim().min(1).max(100),
  /** Each scope includes the ones before it: read ⊂ operate ⊂ admin. */
  scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
});
