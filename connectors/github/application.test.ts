import { oauthHost } from './application';

it("finds the OAuth app's web flow for each kind of GitHub", () => {
  expect(oauthHost('https://api.github.com')).toBe('https://github.com');
  expect(oauthHost('https://api.acme.ghe.com')).toBe('https://acme.ghe.com');
  expect(oauthHost('https://ghe.example.com/api/v3')).toBe('https://ghe.example.com');
  expect(oauthHost('http://127.0.0.1:4010')).toBe('http://127.0.0.1:4010');
});
