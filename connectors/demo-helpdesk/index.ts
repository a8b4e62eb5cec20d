/** The demo helpdesk: OAuth 2.0 authorization code and a rate limit per channel. */
import { defineIntegration } from '../framework/integration';
import { demoHelpdesk } from './application';
import { listTickets } from './list-tickets';

export { demoHelpdesk };

export default defineIntegration(demoHelpdesk, { listTickets });
