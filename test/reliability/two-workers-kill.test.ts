/**
 * Two worker processes share the task queues, as a scaled-out deployment runs them; one is killed
 * (SIGKILL) in the middle of a webhook burst. The other finishes every run, and each order lands
 * on the CRM exactly once. The order flow makes its calls as local activities: what the killed
 * worker was running is run again by the survivor once its workflow task times out, and the
 * idempotency keys (the same on the re-run) keep the CRM from applying a call twice.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { startDemoCrm, type DemoCrm } from '../../demo/crm-server';
import { startBuilt, stopBuilt, type BuiltProcess } from '../support/built-process';
import { endOrderBurst, everyOrderOnce, orderBurstEnv, ordersApplied, postOrders } from '../support/order-burst';
import { freePort } from '../support/ports';
import { DEMO_API_KEY, eventually, getJson, temporalAddress } from '../support/system';

const ORDERS = Number(process.env.RELIABILITY_WEBHOOK_FLOWS ?? 150);
const tag = randomUUID().slice(0, 8);
let crm: DemoCrm;
let client: Client;
let env: NodeJS.ProcessEnv;
let api: BuiltProcess | undefined;
const workers: BuiltProcess[] = [];

beforeAll(async () => {
  crm = await startDemoCrm({ apiKey: DEMO_API_KEY, contacts: 0 });
  client = new Client({ connection: await Connection.connect({ address: temporalAddress() }) });
  env = await orderBurstEnv(crm, `two-workers-${tag}`);
  api = startBuilt('api', env);
  await eventually(async () => ((await getJson(`http://127.0.0.1:${env.PORT}/health`).catch(() => undefined))?.status === 200 ? true : undefined), 30_000, 'the API to be healthy');
  for (let i = 0; i < 2; i++) workers.push(startBuilt('worker', { ...env, WORKER_SDK_METRICS_PORT: String(await freePort()) }));
});

afterAll(() => endOrderBurst([...workers, api], client, crm));

it(`finishes ${ORDERS} webhook flows on the surviving worker when the other is killed mid-burst, each order applied once`, async () => {
  const burst = postOrders(env, tag, ORDERS);
  // Both workers take flows; one dies with some of them half way.
  await eventually(() => (crm.notes.length >= ORDERS / 3 ? true : undefined), 120_000, 'a third of the orders to be noted');
  await stopBuilt(workers[0], 'SIGKILL');
  const notedAtKill = crm.notes.length;
  const accepted = await burst;
  expect(accepted.map((a) => a.status)).toEqual(Array(ORDERS).fill(202));
  expect(notedAtKill).toBeLessThan(ORDERS);

  expect(await ordersApplied(client, crm, tag, accepted)).toEqual(everyOrderOnce(ORDERS));
  if (process.env.SHOW_SYSTEM_OUTPUT) console.log(`one of two workers killed with ${notedAtKill} of ${ORDERS} orders noted`);
}, 300_000);
