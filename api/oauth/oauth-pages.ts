/**
 * The small HTML pages a person sees at the end of a connect link or a consent: what happened, in
 * escaped text, and for a consent started from the console a link back to it. No scripts, styles
 * or images (the CSP forbids them), nothing cached, and no Referer leaves the page (its URL
 * carries the authorization code).
 */
import type { Response } from 'express';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** A link on the page: `href` is a checked console path (api/oauth/return-to.ts), escaped all the same. */
export interface PageLink {
  href: string;
  text: string;
}

export function sendPage(res: Response, status: number, title: string, message: string, link?: PageLink): void {
  const back = link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : '';
  res
    .status(status)
    .set({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    })
    .send(
      `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>` +
        `<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${back}</main></body></html>\n`,
    );
}
