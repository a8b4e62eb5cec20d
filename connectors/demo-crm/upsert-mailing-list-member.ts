import { z } from 'zod';
import { demoCrm } from './application';
import { defineConnector } from '../framework/connector';

export const upsertMailingListMember = defineConnector({
  application: demoCrm,
  name: 'upsertMailingListMember',
  description: 'Create or update a newsletter subscriber, keyed by e-mail (idempotent PUT)',
  input: z.object({
    email: z.email(),
    firstName: z.string(),
    lastName: z.string(),
    sourceId: z.string(),
    /** The source record's version (its updatedAt): with sourceId, it makes the write's idempotency key. */
    sourceVersion: z.string().optional(),
  }),
  output: z.object({ email: z.email(), created: z.boolean() }),
  request: ({ email, sourceVersion: _version, ...member }) => ({ method: 'PUT', path: `/api/mailing-list/members/${encodeURIComponent(email)}`, body: member }),
  idempotencyKey: ({ sourceId, sourceVersion, email }) => `${sourceId}@${sourceVersion ?? email}`,
});
