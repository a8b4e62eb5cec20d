import { applicationHostsOf } from '../auth/security-config';
import { github } from '../../connectors/github/application';
import { allowedHostIssues, hostAllowed, urlRefusal } from './credential-binding';

describe('hostAllowed', () => {
  const shopify = ['*.myshopify.com'];
  it.each([
    ['acme.myshopify.com', shopify, true],
    ['ACME.MyShopify.com.', shopify, true],
    ['myshopify.com', shopify, false],
    ['a.b.myshopify.com', shopify, false],
    ['acme.myshopify.com.evil.example', shopify, false],
    ['evilmyshopify.com', shopify, false],
    ['api.hubspot.com', ['api.hubspot.com'], true],
    ['api.hubspot.com.evil.example', ['api.hubspot.com'], false],
    ['[::1]', ['[::1]'], true],
    ['api.example.com', ['api.example.com:8443'], true],
  ])('%s against %j: %s', (host, patterns, expected) => {
    expect(hostAllowed(host, patterns)).toBe(expected);
  });
});

describe('urlRefusal', () => {
  const hubspot = ['api.hubspot.com'];
  it.each([
    ['https://api.hubspot.com/crm', hubspot, undefined],
    ['https://api.hubspot.com:443/crm', hubspot, undefined],
    ['https://api.example.com:8443', ['api.example.com:8443'], undefined],
    ['https://acme.myshopify.com', ['*.myshopify.com'], undefined],
    // Loopback: the demo and the tests, plain http on any port.
    ['http://127.0.0.1:8080', ['127.0.0.1'], undefined],
    ['http://localhost:3000', ['localhost'], undefined],
    ['http://[::1]:3000', ['[::1]'], undefined],
    ['https://evil.example', hubspot, "host evil.example is not one of the application's hosts (api.hubspot.com)"],
    ['http://api.hubspot.com', hubspot, 'http: is not https: credentials go to api.hubspot.com only over https'],
    ['http://api.hubspot.com:8080', hubspot, 'http: is not https: credentials go to api.hubspot.com only over https'],
    ['https://api.hubspot.com:8080', hubspot, "port 8080 of api.hubspot.com is not one of the application's hosts (api.hubspot.com)"],
    ['https://api.example.com', ['api.example.com:8443'], "port 443 of api.example.com is not one of the application's hosts (api.example.com:8443)"],
    ['https://api.example.com:9443', ['api.example.com:8443'], "port 9443 of api.example.com is not one of the application's hosts (api.example.com:8443)"],
    ['http://api.example.com:8443', ['api.example.com:8443'], 'http: is not https: credentials go to api.example.com only over https'],
    ['ftp://127.0.0.1', ['127.0.0.1'], 'ftp: is not http: or https:'],
  ])('%s against %j: %s', (url, patterns, expected) => {
    expect(urlRefusal(new URL(url), patterns)).toBe(expected);
  });

  it('lets either port through when the host is listed with and without one', () => {
    expect(urlRefusal(new URL('https://api.example.com'), ['api.example.com', 'api.example.com:8443'])).toBeUndefined();
    expect(urlRefusal(new URL('https://api.example.com:8443'), ['api.example.com', 'api.example.com:8443'])).toBeUndefined();
  });
});

describe('hosts the operator adds (APPLICATION_HOSTS)', () => {
  it('parses <application>=<host pattern> pairs, and refuses anything else naming the variable', () => {
    expect(applicationHostsOf('github=ghe.example.com, github=api.acme.ghe.com,shopify=*.shops.example')).toEqual({ github: ['ghe.example.com', 'api.acme.ghe.com'], shopify: ['*.shops.example'] });
    expect(applicationHostsOf(undefined)).toEqual({});
    for (const bad of ['ghe.example.com', 'github=https://ghe.example.com', 'github=', 'GitHub=ghe.example.com', 'github=*.com', 'github=a..b', 'github=localhost'])
      expect(() => applicationHostsOf(bad)).toThrow(/APPLICATION_HOSTS/);
  });

  it("widens the application's pin for its own channels only", () => {
    const settings = { baseUrl: 'https://ghe.example.com/api/v3' };
    expect(allowedHostIssues(github, settings)).toEqual([expect.objectContaining({ field: 'settings.baseUrl' })]);
    expect(allowedHostIssues(github, settings, ['ghe.example.com'])).toEqual([]);
    expect(allowedHostIssues(github, { baseUrl: 'http://ghe.example.com/api/v3' }, ['ghe.example.com'])).toEqual([expect.objectContaining({ message: expect.stringContaining('https') })]);
  });
});
