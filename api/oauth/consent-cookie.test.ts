import { consentCookieOptions } from './consent-cookie';
import { escapeHtml } from './oauth-pages';

describe('the consent cookie', () => {
  it('is Secure only behind an https public URL, scoped to the callback path', () => {
    expect(consentCookieOptions('https://engine.example.com/base/oauth/callback', 600_000)).toEqual({ httpOnly: true, sameSite: 'lax', secure: true, path: '/base/oauth/callback', maxAge: 600_000 });
    expect(consentCookieOptions('http://127.0.0.1:3000/oauth/callback', 1).secure).toBe(false);
  });
});

it('escapes what an HTML page shows', () => {
  expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
});
