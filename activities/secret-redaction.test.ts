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
    const failure = ApplicationFailure.create({ message: `outer ${secret}`, type: 'HttpStatus400', nonRetryable: true, details: [{ body: `{"key":"${secret}"}`, status: 400 }], nextRetryDelay: '3s', cause });
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
