/**
 * What the webhook fuzz takes as given about the API under test and the channels it sets up: the
 * generators use it to break requests, the validity model to recognise a request that is not broken.
 */
import { createHmac, randomBytes } from 'node:crypto';

/** The webhook secret of the fuzz's demo-mailer channel: made per run, no secret lives in the code. */
export const MAILER_SECRET = randomBytes(24).toString('base64url');
/** The API's WEBHOOK_BODY_LIMIT default (1mb). */
export const BODY_LIMIT = 1024 * 1024;
/** The API's pattern for delivery and entity ids. */
export const DELIVERY_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const sign = (body: Buffer, secret = MAILER_SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
