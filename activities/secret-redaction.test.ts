import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { redactError, SecretRedactor } from './secret-redaction';

const secret = 'whsec_0123456789abcdef';
function redactorOf(...values: unknown[]): SecretRedactor {
  const redactor = new SecretRedactor();
  redactor.addValues(values);
  return redactor;
}

describe('SecretRedactor', () => {
  it('takes the whole secret out, wherever and however often it appears', () => {
    expect(redactorOf(secret).redact(`bad request: {"secret":"${secret}","again":"${secret}"}`)).toBe('bad request: {"secret":"[redacted]","again":"[redacted]"}');
  });

  it('takes out the start of a secret where the quoted answer was cut off, at the end or before "…"', () => {
    const redactor = redactorOf(secret);
    expect(redactor.redact(`HTTP 400: {"secret":"${secret.slice(0, 9)}`)).toBe('HTTP 400: {"secret":"[redacted]');
    expect(redactor.redact(`HTTP 400: {"secret":"${secret.slice(0, 12)}… (batch of 3)`)).toBe('HTTP 400: {"secret":"[redacted]… (batch of 3)');
  });

  it('leaves a message without the secret alone', () => {
    expect(redactorOf(secret).redact('HTTP 500: try later')).toBe('HTTP 500: try later');
  });

  it('finds every string leaf of the credentials, URL-encoded and JSON-escaped too, but no value under 4 characters', () => {
    const redactor = redactorOf({ apiKey: 'sk/live+key=1&2', nested: { token: 'say "hi"' }, region: 'eu', port: 4010 });
    expect(redactor.redact('echo sk/live+key=1&2 sk%2Flive%2Bkey%3D1%262')).toBe('echo [redacted] [redacted]');
    expect(redactor.redact('{"token":"say \\"hi\\""}')).toBe('{"token":"[redacted]"}');
    expect(redactor.redact('region eu, port 4010')).toBe('region eu, port 4010');
  });

  it("finds a secret JSON-escaped the way PHP's json_encode writes it: escaped slashes, non-ASCII as \\uXXXX", () => {
    const redactor = redactorOf('sk_live/AbC0123/xyz', 'clé-secrète-1');
    expect(redactor.redact('{"error":"bad key sk_live\\/AbC0123\\/xyz"}')).toBe('{"error":"bad key [redacted]"}');
    expect(redactor.redact('{"key":"cl\\u00e9-secr\\u00e8te-1"}')).toBe('{"key":"[redacted]"}');
  });

  it('finds a secret HTML-escaped by the common escapers: named, decimal and hexadecimal references, the slash too', () => {
    const value = `sk/a&b"c'd<e>`;
    const redactor = redactorOf(value);
    const escaped = [
      'sk/a&amp;b&quot;c&#39;d&lt;e&gt;', // escape-html, lodash
      'sk/a&amp;b&quot;c&#039;d&lt;e&gt;', // PHP htmlspecialchars
      'sk/a&amp;b&quot;c&#x27;d&lt;e&gt;', // Python html.escape
      'sk&#x2F;a&amp;b&quot;c&#x27;d&lt;e&gt;', // OWASP
      'sk/a&amp;b&#34;c&#39;d&lt;e&gt;', // Go
      'sk&#47;a&#38;b&#34;c&#39;d&#60;e&#62;',
      'sk&#x2F;a&#x26;b&#x22;c&#x27;d&#x3C;e&#x3E;',
      'sk&#x2f;a&#x26;b&#x22;c&#x27;d&#x3c;e&#x3e;',
    ];
    for (const form of escaped) expect(redactor.redact(`<p>rejected: ${form}</p>`)).toBe('<p>rejected: [redacted]</p>');
    expect(redactorOf('sk_live/AbC0123').redact('<td>sk_live&#x2F;AbC0123</td> <td>sk_live&#47;AbC0123</td>')).toBe('<td>[redacted]</td> <td>[redacted]</td>');
  });

  it('finds the base64 of a bare key of 8 characters or more, standard and URL-safe, with or without padding', () => {
    const key = 'sk_live??>AbC~~12'; // base64 with "/", "+" and padding; URL-safe with "_" and "-"
    const standard = Buffer.from(key).toString('base64');
    const urlSafe = Buffer.from(key).toString('base64url');
    expect(standard).toMatch(/\/.*\+.*=$/);
    expect(urlSafe).toMatch(/[-_]/);
    const redactor = redactorOf(key);
    for (const form of [standard, standard.replace(/=+$/, ''), urlSafe, `${urlSafe}=`]) expect(redactor.redact(`token ${form} refused`)).toBe('token [redacted] refused');
    // A shorter value's base64 is not looked for: it would match ordinary text too often.
    const short = Buffer.from('abc1234').toString('base64');
    expect(redactorOf('abc1234').redact(`id ${short}`)).toBe(`id ${short}`);
  });

  it('finds the credentials of a header as sent: basic auth base64 and decoded, a bare bearer token', () => {
    const redactor = new SecretRedactor();
    const basic = Buffer.from('ada:correct-horse').toString('base64');
    redactor.addSent(`Basic ${basic}`);
    redactor.addSent('Bearer tok_0123456789');
    expect(redactor.redact(`got authorization "Basic ${basic}", i.e. ${basic} = ada:correct-horse; bearer tok_0123456789`)).toBe(
      'got authorization "[redacted]", i.e. [redacted] = [redacted]; bearer [redacted]',
    );
    // The scheme words themselves are not secrets.
    expect(redactor.redact('Basic auth and Bearer tokens')).toBe('Basic auth and Bearer tokens');
  });
});

describe('redactError', () => {
  const redactor = redactorOf(secret);
  const redact = (text: string) => redactor.redact(text);

  it('rebuilds an ApplicationFailure with message, details, stack and cause redacted, keeping its retry semantics', () => {
    const cause = ApplicationFailure.create({ message: `inner ${secret}`, type: 'HttpStatus500' });
    const failure = ApplicationFailure.create({
      message: `outer ${secret}`,
      type: 'HttpStatus400',
      nonRetryable: true,
      details: [{ body: `{"key":"${secret}"}`, status: 400 }],
      nextRetryDelay: '3s',
      cause,
    });
    const redacted = redactError(failure, redact) as ApplicationFailure;
    expect(redacted).toBeInstanceOf(ApplicationFailure);
    expect(redacted).toMatchObject({ message: 'outer [redacted]', type: 'HttpStatus400', nonRetryable: true, nextRetryDelay: '3s', details: [{ body: '{"key":"[redacted]"}', status: 400 }] });
    expect(redacted.stack).not.toContain(secret);
    expect(redacted.cause).toMatchObject({ message: 'inner [redacted]', type: 'HttpStatus500' });
  });

  it('redacts another error in place, keeping its class, and lets a cancellation pass as it is', () => {
    const error = new TypeError(`bad ${secret}`);
    expect(redactError(error, redact)).toBe(error);
    expect(error.message).toBe('bad [redacted]');
    expect(error.stack).not.toContain(secret);
    const cancelled = new CancelledFailure('cancelled');
    expect(redactError(cancelled, redact)).toBe(cancelled);
  });
});
