/** Shapes the demo CRM's API answers with, shared by its connectors. */
import { z } from 'zod';

export const Contact = z.object({
  id: z.string(),
  email: z.email(),
  firstName: z.string(),
  lastName: z.string(),
  updatedAt: z.iso.datetime(),
});
export type Contact = z.infer<typeof Contact>;

export const ContactPage = z.object({
  items: z.array(Contact),
  page: z.number().int().min(1),
  hasMore: z.boolean(),
});
export type ContactPage = z.infer<typeof ContactPage>;

/** A change-feed entry: the contact's latest state, or its tombstone when `deleted`. */
export const ContactChange = Contact.extend({ deleted: z.boolean(), changedBy: z.string().optional() });
export type ContactChange = z.infer<typeof ContactChange>;

export const ContactChangePage = z.object({
  items: z.array(ContactChange),
  /** Where the feed stands after this page: the sync cursor to keep once the page is processed. */
  nextCursor: z.string(),
  hasMore: z.boolean(),
});
export type ContactChangePage = z.infer<typeof ContactChangePage>;
