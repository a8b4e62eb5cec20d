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
