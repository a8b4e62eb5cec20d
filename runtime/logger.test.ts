import { createLogger, logFormatFromEnv } from './logger';
import { requestIdFrom } from './request-context';

function capture(): { lines: string[]; write: (line: string) => void } {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
}

it('writes one JSON line per event to a given destination, errors with type, message and stack under err or error', () => {
  const out = capture();
  createLogger('worker', out).warn({ error: new Error('boom'), workflowId: 'w' }, 'Workflow failed');
  expect(out.lines).toHaveLength(1);
  expect(JSON.parse(out.lines[0]!)).toMatchObject({
    service: 'worker',
    level: 40,
    msg: 'Workflow failed',
    workflowId: 'w',
    error: { type: 'Error', message: 'boom', stack: expect.stringContaining('Error: boom') },
  });
});

it('writes readable lines with LOG_FORMAT=pretty, the prefix on every line of it', () => {
  const out = capture();
  const log = createLogger('start', out, { format: 'pretty', prefix: 'start   | ' });
  log.info({ requestId: 'r-1' }, 'request');
  log.error({ err: new Error('boom') }, 'failed');
  expect(out.lines[0]).toMatch(/^start {3}\| \[\d\d:\d\d:\d\d\.\d{3}\] INFO: request \{"requestId":"r-1"\}\n$/);
  expect(out.lines[0]).not.toContain('"service"');
  for (const line of out.lines[1]!.trimEnd().split('\n')) expect(line).toMatch(/^start {3}\| /);
});

it('takes json or pretty from LOG_FORMAT, json by default, and refuses anything else', () => {
  expect(logFormatFromEnv({})).toBe('json');
  expect(logFormatFromEnv({ LOG_FORMAT: 'Pretty' })).toBe('pretty');
  expect(() => logFormatFromEnv({ LOG_FORMAT: 'text' })).toThrow('LOG_FORMAT must be json or pretty, not "text"');
});

it('keeps a well-formed incoming request id and makes a UUID for anything else', () => {
  expect(requestIdFrom('req-1.a:b_c')).toBe('req-1.a:b_c');
  for (const bad of [undefined, '', 'has space', 'a/b', 'x'.repeat(129), ['a', 'b']]) expect(requestIdFrom(bad)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
});
