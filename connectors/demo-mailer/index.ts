/** The demo mailer: bearer token, signed webhooks it is subscribed to, the other half of a two-way sync. */
import { defineIntegration } from '../framework/integration';
import { demoMailer } from './application';
import { upsertContact } from './upsert-contact';

export { demoMailer };

export default defineIntegration(demoMailer, { upsertContact });
