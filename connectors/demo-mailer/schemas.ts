/** Shapes the demo mailer's API answers with, shared by its connectors and webhook flow. */
import { z } from 'zod';

export const MailerContact = z.object({
  email: z.email(),
  firstName: z.string(),
  lastName: z.string(),
  subscribed: z.boolean(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
  /** Who made the last change: `X-Change-Origin` of the request, `api`, or `user` for the tool's UI. */
  changedBy: z.string(),
});
export type MailerContact = z.infer<typeof MailerContact>;

/** What the mailer POSTs to a webhook subscription. */
export const MailerContactEvent = z.object({
  id: z.string().min(1),
  type: z.enum(['contact.created', 'contact.updated', 'contact.deleted']),
  occurredAt: z.iso.datetime(),
  origin: z.string(),
  contact: MailerContact,
});
export type MailerContactEvent = z.infer<typeof MailerContactEvent>;
