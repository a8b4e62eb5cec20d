/** `returnTo` as an attacker would try it: only paths under /console/ of this origin get through, exactly as given. */
import { ConnectRequest } from './oauth-views';
import { returnToConnected, returnToProblem } from './return-to';

const accepted = [
  '/console/',
  '/console/channels',
  '/console/channels/ch_k3Jx9qLm2Pz/',
  '/console/channels/ch_1?tab=auth',
  '/console/channels?tab=auth&sort=name',
  '/console/runs?path=a%2Fb',
  '/console/a%20b',
  "/console/x:y@z!$&'()*+,;=-._~",
  '/console/...x',
];

const refused: Array<[string, RegExp]> = [
  ['https://evil.example/console/', /not a URL/],
  ['http:/console/x', /not a URL/],
  ['javascript:alert(1)//console/', /not a URL/],
  ['//evil.example/console/', /not a URL/],
  ['//evil.example', /not a URL/],
  ['/\\evil.example/console/', /backslash/],
  ['/console/\\..\\admin', /backslash/],
  ['\\\\evil.example\\console\\', /backslash/],
  ['/console', /not a URL/],
  ['/consoleevil/', /not a URL/],
  ['/Console/', /not a URL/],
  ['console/', /not a URL/],
  ['/console/../admin', /segments/],
  ['/console/..', /segments/],
  ['/console/./channels', /segments/],
  ['/console/..;/admin', /segments/],
  ['/console//evil.example', /segments/],
  ['/console/channels//x', /segments/],
  ['/console/%2e%2e/admin', /encoded/],
  ['/console/%2E%2E/admin', /encoded/],
  ['/console/.%2e/admin', /encoded/],
  ['/console/a%2fb', /encoded/],
  ['/console/%5cevil', /encoded/],
  ['/console/%c0%ae%c0%ae/admin', /encoded/],
  ['/console/x?a=%0d%0aSet-Cookie:%20x=1', /encoded control/],
  ['/console/%00', /encoded control/],
  ['/console/%7f', /encoded control/],
  ['/console/%', /malformed percent-escape/],
  ['/console/%zz', /malformed percent-escape/],
  ['/console/\t/evil.example', /printable ASCII/],
  ['/console/\n//evil.example', /printable ASCII/],
  ['/console/\r\nLocation: https://evil.example', /printable ASCII/],
  ['/console/\u0000', /printable ASCII/],
  [' /console/', /printable ASCII/],
  ['/console/a b', /printable ASCII/],
  ['/console/é', /printable ASCII/],
  ['/console/\uff0f\uff0fevil.example', /printable ASCII/],
  ['/console/x#https://evil.example', /fragment/],
  ['/console/"><script>alert(1)</script>', /cannot hold unescaped/],
  ['/console/x?y=<script>', /cannot hold unescaped/],
  ['/console/`x`', /cannot hold unescaped/],
  ['/console/{x}', /cannot hold unescaped/],
  [`/console/${'a'.repeat(600)}`, /at most 512/],
];

describe('returnTo', () => {
  it.each(accepted)('accepts %j', (value) => {
    expect(returnToProblem(value)).toBeUndefined();
    // Whatever gets through resolves to itself, on the same origin.
    const resolved = new URL(value, 'https://engine.example');
    expect(resolved.origin).toBe('https://engine.example');
    expect(`${resolved.pathname}${resolved.search}`).toBe(value);
  });

  it.each(refused)('refuses %j', (value, why) => {
    expect(returnToProblem(value)).toMatch(why);
  });

  it('is an optional field of the connect body, refused naming it', () => {
    expect(ConnectRequest.parse(undefined)).toEqual({});
    expect(ConnectRequest.parse({ returnTo: '/console/channels' })).toEqual({ returnTo: '/console/channels' });
    const refusal = ConnectRequest.safeParse({ returnTo: '//evil.example' });
    expect(refusal.success).toBe(false);
    expect(refusal.error?.issues.map((issue) => issue.path)).toEqual([['returnTo']]);
    expect(ConnectRequest.safeParse({ returnTo: 42 }).success).toBe(false);
    expect(ConnectRequest.safeParse({ returnTo: '/console/', next: 'https://evil.example' }).success).toBe(false);
  });
});

describe('returnToConnected', () => {
  it('adds connected=<channel id> to the query, replacing one already there and keeping the rest as given', () => {
    expect(returnToConnected('/console/channels', 'ch_1')).toBe('/console/channels?connected=ch_1');
    expect(returnToConnected('/console/channels?', 'ch_1')).toBe('/console/channels?connected=ch_1');
    expect(returnToConnected('/console/channels?tab=auth&path=a%2Fb', 'ch_1')).toBe('/console/channels?tab=auth&path=a%2Fb&connected=ch_1');
    expect(returnToConnected('/console/x?connected=ch_evil&tab=a&connected', 'ch_1')).toBe('/console/x?tab=a&connected=ch_1');
    expect(returnToConnected('/console/', 'demo crm/&x')).toBe('/console/?connected=demo%20crm%2F%26x');
  });
});
