import { redact } from './webhook-subscriptions';

describe('redact', () => {
  const secret = 'whsec_0123456789abcdef';
  it('takes the whole secret out, wherever and however often it appears', () => {
    expect(redact(`bad request: {"secret":"${secret}","again":"${secret}"}`, secret)).toBe('bad request: {"secret":"[redacted]","again":"[redacted]"}');
  });
  it('takes out the start of a secret where the quoted answer was cut off', () => {
    expect(redact(`HTTP 400: {"secret":"${secret.slice(0, 9)}`, secret)).toBe('HTTP 400: {"secret":"[redacted]');
  });
  it('leaves a message without the secret alone', () => {
    expect(redact('HTTP 500: try later', secret)).toBe('HTTP 500: try later');
  });
});
