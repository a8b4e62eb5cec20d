import { z } from 'zod';
import { demoHelpdesk } from './application';
import { defineConnector } from '../framework/connector';

export const listTickets = defineConnector({
  application: demoHelpdesk,
  name: 'listTickets',
  description: 'Open tickets of the connected account',
  input: z.object({}),
  output: z.object({ items: z.array(z.object({ id: z.string(), subject: z.string() })) }),
  request: () => ({ method: 'GET', path: '/api/tickets' }),
});
