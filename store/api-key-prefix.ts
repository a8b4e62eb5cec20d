/**
 * Recognisable in logs and by secret scanners, like GitHub's `ghp_` or Stripe's `sk_`. Its own
 * module: `npm start` writes the bootstrap key before anything else starts, without loading the store.
 */
export const API_KEY_PREFIX = 'eng_';
