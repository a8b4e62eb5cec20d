import { z } from 'zod';
import { demoMailer } from './application';
import { defineConnector } from '../framework/connector';
import { ENGINE_ORIGIN } from '../framework/change-origin';
import { MailerContact } from './schemas';

export const upsertContact = defineConnector({
  application: demoMailer,
  name: 'upsertContact',
  description: 'Create or update a mailer contact, keyed by e-mail; tagged as our change',
  input: z.object({
    email: z.email(),
    firstName: z.string(),
    lastName: z.string(),
    /** The source record's id and version: the same version is written once. */
    sourceId: z.string(),
    sourceVersion: z.string(),
  }),
  output: MailerContact,
  request: ({ email, firstName, lastName }) => ({
    method: 'PUT',
    path: `/v1/contacts/${encodeURIComponent(email)}`,
    headers: { 'x-change-origin': ENGINE_ORIGIN },
    body: { firstName, lastName },
  }),
  idempotencyKey: ({ sourceId, sourceVersion }) => `${sourceId}@${sourceVersion}`,
});
