import { hostAllowed } from './credential-binding';

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
  ])('%s against %j: %s', (host, patterns, expected) => {
    expect(hostAllowed(host, patterns)).toBe(expected);
  });
});
