/**
 * The import worker (run from dist/, as `npm test` builds first): the document is processed off
 * the event loop, and a hostile or oversized one is stopped by the time or memory limit with a
 * message saying which. Errors about the document come back with their issues.
 */
import { readFileSync } from 'node:fs';
import { ImportError, ImportLimitError } from './errors';
import { processInWorker, workerFile } from './worker-runner';

const github = () => readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8');

function refBomb(levels: number): object {
  const schemas: Record<string, unknown> = { n0: { type: 'string' } };
  for (let i = 1; i <= levels; i++) schemas[`n${i}`] = { allOf: [0, 1, 2].map(() => ({ $ref: `#/components/schemas/n${i - 1}` })) };
  return {
    openapi: '3.0.3',
    info: { title: 'bomb', version: '1' },
    paths: { '/x': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: `#/components/schemas/n${levels}` } } } } } } } },
    components: { schemas },
  };
}

/** The longest the event loop went without running a 10 ms interval while `work` ran. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  try {
    await work().catch(() => undefined);
  } finally {
    clearInterval(timer);
  }
  return longest;
}

it('runs the compiled worker from dist/ when this module is the TypeScript source', () => {
  expect(workerFile()).toMatch(/[/\\]dist[/\\]connectors[/\\]openapi[/\\]import-worker\.js$/);
});

it("processes GitHub's 13 MB document off the event loop", async () => {
  let actions = 0;
  const stall = await longestStall(async () => (actions = (await processInWorker({ document: github(), strict: false }, { timeoutMs: 60_000, memoryMb: 256 })).spec.actions.length));
  expect(actions).toBeGreaterThan(1_000);
  // Reading the file and receiving the result are the main thread's only work.
  expect(stall).toBeLessThan(500);
}, 90_000);

it('terminates a $ref bomb at the time limit, without stalling the event loop', async () => {
  const started = performance.now();
  const outcome = processInWorker({ document: refBomb(20), strict: false }, { timeoutMs: 1_500, memoryMb: 256 });
  const stall = await longestStall(() => outcome);
  await expect(outcome).rejects.toEqual(new ImportLimitError('the document took longer than 1.5 s to process (IMPORT_TIMEOUT_MS)', 'time'));
  expect(performance.now() - started).toBeLessThan(5_000);
  expect(stall).toBeLessThan(100);
});

it('terminates a document that needs more than the memory limit', async () => {
  const outcome = processInWorker({ document: github(), strict: false }, { timeoutMs: 60_000, memoryMb: 32 });
  await expect(outcome).rejects.toBeInstanceOf(ImportLimitError);
  await expect(outcome).rejects.toMatchObject({ limit: 'memory', message: 'the document ran out of the 32 MB memory limit while being processed (IMPORT_MEMORY_MB)' });
}, 60_000);

it('brings back what is wrong with the document as an ImportError with its issues', async () => {
  await expect(processInWorker({ document: '{"openapi": ', strict: false })).rejects.toEqual(
    expect.objectContaining({ constructor: ImportError, message: expect.stringMatching(/^the document is not valid JSON/) }),
  );
  const external = processInWorker({ document: { openapi: '3.0.3', info: { title: 'x', version: '1' }, paths: { '/a': { $ref: 'other.yaml#/a' } } }, strict: false });
  await expect(external).rejects.toMatchObject({ issues: [{ location: 'paths./a', message: expect.stringContaining('external $ref "other.yaml#/a"') }] });
});
