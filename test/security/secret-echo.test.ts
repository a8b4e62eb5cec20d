/**
 * A remote that echoes the credentials it was sent back in its error body (the API key, the
 * Authorization header, the key URL-encoded; a PHP remote's escaped slashes, HTML entities and
 * base64): through real actions on a real Temporal, the
 * secrets stay out of workflow history, GET /runs, GET /channels/:id/runs, the action's answer and
 * every log line, while the failure still says what happened.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestOAuthServer, type TestOAuthServer } from '../support/oauth-server';
import { eventually, getJson, postJson, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let oauth: TestOAuthServer;
let echo: Server;
let echoUrl: string;
const logs: string[] = [];
const originalWrite = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

// Characters that URL-encoding changes, so the encoded form is a string of its own to look for.
const CRM_KEY = 'sk-echo/Secret+Key=42&more';
const MAILER_TOKEN = 'mailer-token/echoed+back=1';
const ERP_SECRET = 'erp-client-secret-echoed';
const PHP_KEY = 'sk-php/Echoed+Key=7&more';

/** The key as a PHP remote quotes it: json_encode's `\/`, htmlspecialchars/OWASP entities, base64. */
const phpForms = (key: string) => ({
  escaped: JSON.stringify(key).slice(1, -1).replace(/\//g, '\\/'),
  html: key.replace(/&/g, '&amp;').replace(/\//g, '&#x2F;'),
  base64: Buffer.from(key).toString('base64'),
});

/** Answers every request with `status` and a body quoting the credentials it carried. */
const statusFor = (path: string): number => (path.startsWith('/api/contacts') ? 400 : path.startsWith('/v1/contacts') ? 500 : 403);

beforeAll(async () => {
  // Every line the API, the worker and the SDK write while the tests run, to look for secrets.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => (logs.push(String(chunk)), originalWrite.out(chunk, ...rest))) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => (logs.push(String(chunk)), originalWrite.err(chunk, ...rest))) as typeof process.stderr.write;
  echo = createServer((req, res) => {
    req.resume();
    const apiKey = req.headers['x-api-key'];
    const authorization = req.headers.authorization;
    if (req.url?.startsWith('/php/')) {
      // Written by hand, as PHP's json_encode would: its escaped slash is not what JSON.stringify writes.
      const forms = phpForms(String(apiKey));
      res.writeHead(400, { 'content-type': 'application/json' }).end(`{"error":"rejected","key":"${forms.escaped}","html":"${forms.html}","base64":"${forms.base64}"}`);
      return;
    }
    const body = JSON.stringify({ error: 'credentials rejected', apiKey, encoded: encodeURIComponent(String(apiKey ?? authorization)), authorization });
    res.writeHead(statusFor(req.url ?? '/'), { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  [oauth, system] = await Promise.all([startTestOAuthServer(), startTestSystem()]);
});
afterAll(async () => {
  await Promise.all([system?.stop(), oauth?.stop()]);
  echo?.closeAllConnections();
  await new Promise((resolve) => echo?.close(resolve));
  process.stdout.write = originalWrite.out;
  process.stderr.write = originalWrite.err;
});

async function createChannel(body: Record<string, unknown>): Promise<string> {
  // Disabled: a mailer channel would otherwise subscribe to webhooks at the echoing remote first.
  const created = await postJson(`${system.apiUrl}/channels`, { ...body, enabled: false });
  expect(created.status).toBe(201);
  return created.body.id;
}

/** Everything the history holds, payloads (failure details, inputs) decoded to text. */
async function historyText(workflowId: string): Promise<string> {
  const history = await system.client.workflow.getHandle(workflowId).fetchHistory();
  return JSON.stringify(history, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value));
}

/** The run's failure as GET /runs shows it, once visibility has it. */
async function listedFailure(channelId: string, workflowId: string): Promise<{ text: string; message: string }> {
  return eventually(
    async () => {
      const res = await getJson(`${system.apiUrl}/runs?channel=${encodeURIComponent(channelId)}`);
      const run = (res.body as Array<{ workflowId: string; failure: { message: string } | null }>).find((r) => r.workflowId === workflowId);
      return run?.failure ? { text: JSON.stringify(res.body), message: run.failure.message } : undefined;
    },
    20_000,
    'the failed run in GET /runs',
  );
}

/** Runs the action, which the echoing remote refuses; returns every text it left behind. */
async function failedAction(application: string, action: string, channelId: string, input: Record<string, unknown>) {
  const answer = await postJson(`${system.apiUrl}/applications/${application}/actions/${action}/run`, { channelId, input });
  expect(answer.status).toBe(502);
  const workflowId: string = answer.body.workflowId;
  const listed = await listedFailure(channelId, workflowId);
  const channelRuns = await getJson(`${system.apiUrl}/channels/${encodeURIComponent(channelId)}/runs`);
  expect(channelRuns.status).toBe(200);
  return {
    message: answer.body.message as string,
    listedMessage: listed.message,
    texts: { answer: JSON.stringify(answer.body), history: await historyText(workflowId), runs: listed.text, channelRuns: JSON.stringify(channelRuns.body) },
  };
}

function expectAbsent(texts: Record<string, string>, secrets: string[]): void {
  const everything = { ...texts, workerLog: system.logLines.join('\n'), apiLog: system.apiLogLines.join('\n'), output: logs.join('') };
  for (const [where, text] of Object.entries(everything)) {
    for (const secret of secrets) expect({ where, leaked: text.includes(secret) ? secret : null }).toEqual({ where, leaked: null });
  }
}

it('keeps an API key that a 400 answer echoes (as it is and URL-encoded) out of history, /runs and logs', async () => {
  const channelId = await createChannel({ application: 'demo-crm', name: 'Echoing CRM', settings: { baseUrl: echoUrl }, credentials: { apiKey: CRM_KEY } });
  const result = await failedAction('demo-crm', 'addContactNote', channelId, { contactId: 'c_1', text: 'hello' });
  // Still says what happened: which connector, which status, what the remote said.
  expect(result.message).toMatch(/^demo-crm\.addContactNote: HTTP 400: \{"error":"credentials rejected","apiKey":"\[redacted\]","encoded":"\[redacted\]"\}$/);
  expect(result.listedMessage).toContain('demo-crm.addContactNote: HTTP 400: {"error":"credentials rejected","apiKey":"[redacted]"');
  expectAbsent(result.texts, [CRM_KEY, encodeURIComponent(CRM_KEY)]);
});

it('keeps a bearer token that 500 answers echo in the Authorization header out of every attempt', async () => {
  const crmChannelId = await createChannel({ application: 'demo-crm', name: 'Mailer partner', settings: { baseUrl: echoUrl }, credentials: { apiKey: 'another-crm-key' } });
  const channelId = await createChannel({
    application: 'demo-mailer',
    name: 'Echoing mailer',
    settings: { baseUrl: echoUrl, crmChannelId },
    credentials: { apiToken: MAILER_TOKEN, webhookSecret: 'mailer-webhook-secret' },
  });
  const result = await failedAction('demo-mailer', 'upsertContact', channelId, { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', sourceId: 'c_1', sourceVersion: 'v1' });
  expect(result.message).toMatch(/^demo-mailer\.upsertContact: HTTP 500: .*"authorization":"\[redacted\]"/);
  expectAbsent(result.texts, [MAILER_TOKEN, encodeURIComponent(MAILER_TOKEN), `Bearer ${MAILER_TOKEN}`]);
});

it('keeps an OAuth access token, cut off in the quoted excerpt, and the client secret out of it', async () => {
  const channelId = await createChannel({
    application: 'demo-erp',
    name: 'Echoing ERP',
    settings: { baseUrl: echoUrl, authServerUrl: oauth.issuer },
    credentials: { clientId: 'erp-client', clientSecret: ERP_SECRET },
  });
  const result = await failedAction('demo-erp', 'listProducts', channelId, {});
  const accessToken = (await system.store.tokens.read(channelId))?.tokens?.accessToken;
  expect(accessToken).toEqual(expect.any(String));
  expect(result.message).toMatch(/^demo-erp\.listProducts: HTTP 403: .*"\[redacted\]/);
  // The token is longer than the excerpt: its start, where the excerpt cut it, is not left either.
  expectAbsent(result.texts, [accessToken!.slice(0, 12), ERP_SECRET, encodeURIComponent(accessToken!)]);
});

it("keeps an API key that a PHP remote echoes (json_encode's escaped slashes, HTML entities, base64) out of history, /runs and logs", async () => {
  const channelId = await createChannel({ application: 'demo-crm', name: 'PHP CRM', settings: { baseUrl: `${echoUrl}/php` }, credentials: { apiKey: PHP_KEY } });
  const result = await failedAction('demo-crm', 'addContactNote', channelId, { contactId: 'c_1', text: 'hello' });
  expect(result.message).toBe('demo-crm.addContactNote: HTTP 400: {"error":"rejected","key":"[redacted]","html":"[redacted]","base64":"[redacted]"}');
  const forms = phpForms(PHP_KEY);
  expect(forms.escaped).toContain('\\/');
  expectAbsent(result.texts, [PHP_KEY, forms.escaped, forms.html, forms.base64]);
});
