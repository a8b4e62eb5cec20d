import { z } from 'zod';

export const TicketEvent = z.object({
  ticketId: z.string().min(1).max(100),
  contactId: z.string().min(1),
  type: z.enum(['opened', 'commented', 'closed']),
  text: z.string().max(2_000).default(''),
});
export type TicketEvent = z.output<typeof TicketEvent>;

export const ticketEventExample: z.input<typeof TicketEvent> = {
  ticketId: 'T-17',
  contactId: 'c_1',
  type: 'opened',
  text: 'Printer on fire',
};
