import { z } from 'zod';
import { demoCrm } from './application';
import { defineConnector } from '../framework/connector';

export const removeMailingListMember = defineConnector({
  application: demoCrm,
  name: 'removeMailingListMember',
  description: 'Take an address off the newsletter list; an address not on it counts as removed',
  input: z.object({ email: z.email() }),
  output: z.object({ removed: z.boolean() }),
  request: ({ email }) => ({ method: 'DELETE', path: `/api/mailing-list/members/${encodeURIComponent(email)}` }),
  // Deleting twice (a retry after a lost answer) must not fail the sync: 404 means "already gone".
  evaluate: (response, defaults) => {
    if (response.status === 404) return { removed: false };
    defaults();
    return { removed: true };
  },
});
