/**
 * The cookie that binds a consent to the browser that opened its connect link: HttpOnly (no
 * script reads it), SameSite=Lax (sent on the provider's top-level redirect back to us, not on
 * cross-site subrequests), Secure when the public URL is https, and scoped to the callback path.
 * Its value is a random nonce whose hash is stored with the pending authorization. One cookie per
 * state, so two consents under way in one browser do not overwrite each other.
 */
import { createHash } from 'node:crypto';
import { parseCookie } from 'cookie';
import type { CookieOptions } from 'express';

export function consentCookieName(state: string): string {
  return `oauth_consent_${createHash('sha256').update(state).digest('base64url').slice(0, 16)}`;
}

export function consentCookieOptions(callbackUrl: string, maxAgeMs: number): CookieOptions {
  const url = new URL(callbackUrl);
  return { httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', path: url.pathname, maxAge: maxAgeMs };
}

/** The nonce this browser holds for `state`, from its Cookie header. */
export function consentNonce(cookieHeader: string | undefined, state: string): string | undefined {
  return cookieHeader ? parseCookie(cookieHeader)[consentCookieName(state)] : undefined;
}
