/**
 * What `npm start` waits for before it prints its banner: GET /health answering `ok`, which means
 * Temporal and the store answer and a worker polls the flows' task queue. A 200 `degraded` comes
 * first while the worker is still bundling its workflows and connecting; printing the banner then
 * would invite a first webhook whose run waits for a worker.
 */

export interface HealthAnswer {
  status: 'ok' | 'degraded' | 'unavailable';
  /** The rest of the report, given only to a caller with a key. */
  worker?: { taskQueues: { name: string; workflowPollers: number; activityPollers: number }[] };
}

export interface Readiness {
  /** `degraded` when the worker did not poll within `workerMs`: the system runs, and says so. */
  status: 'ok' | 'degraded';
  answer: HealthAnswer;
}

export interface WaitOptions {
  /** The key npm start holds (the report's details need one); refused keys are dropped, the status is public. */
  apiKey?: string;
  /** How long the API may take to answer 200 at all. */
  answerMs?: number;
  /** How long, after the first 200, the worker may take to poll. */
  workerMs?: number;
  pollMs?: number;
}

type Check = { kind: 'answer'; answer: HealthAnswer } | { kind: 'key refused' } | { kind: 'none' };

async function check(url: string, apiKey: string | undefined): Promise<Check> {
  try {
    const response = await fetch(url, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} });
    // A key the listener does not take (say, management on ADMIN_PORT only): the status needs none.
    if (apiKey && (response.status === 401 || response.status === 403)) return { kind: 'key refused' };
    if (response.status !== 200) return { kind: 'none' };
    return { kind: 'answer', answer: (await response.json()) as HealthAnswer };
  } catch {
    return { kind: 'none' }; // not listening yet
  }
}

export async function waitForWorker(url: string, options: WaitOptions = {}): Promise<Readiness> {
  const { answerMs = 120_000, workerMs = 60_000, pollMs = 250 } = options;
  let apiKey = options.apiKey;
  const deadline = Date.now() + answerMs;
  let degradedSince: number | undefined;
  for (;;) {
    const result = await check(url, apiKey);
    if (result.kind === 'key refused') {
      apiKey = undefined;
      continue;
    }
    if (result.kind === 'answer' && result.answer.status === 'ok') return { status: 'ok', answer: result.answer };
    if (result.kind === 'answer') {
      degradedSince ??= Date.now();
      if (Date.now() - degradedSince >= workerMs) return { status: 'degraded', answer: result.answer };
    } else if (Date.now() >= deadline) {
      throw new Error(`${url} did not answer 200 within ${answerMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
