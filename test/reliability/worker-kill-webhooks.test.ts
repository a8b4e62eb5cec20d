/**
 * A burst of webhook flows survives its worker being killed (SIGKILL) while they run: a new
 * worker finishes every run, and each order lands on the CRM exactly once (one contact per
 * customer, one note per order). The API and the worker are the built processes, as `npm start`
 * runs them, on one data directory against the shared Temporal.
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
let worker: BuiltProcess | undefined;

beforeAll(async () => {
  crm = await startDemoCrm({ apiKey: DEMO_API_KEY, contacts: 0 });
  client = new Client({ connection: await Connection.connect({ address: temporalAddress() }) });
  env = { ...(await orderBurstEnv(crm, `webhook-kill-${tag}`)), WORKER_SDK_METRICS_PORT: String(await freePort()) };
  api = startBuilt('api', env);
  await eventually(async () => ((await getJson(`http://127.0.0.1:${env.PORT}/health`).catch(() => undefined))?.status === 200 ? true : undefined), 30_000, 'the API to be healthy');
});

afterAll(() => endOrderBurst([worker, api], client, crm));

it(`finishes ${ORDERS} webhook flows after their worker is killed mid-burst, each order applied once`, async () => {
  // Accepted first, with no worker running: the runs wait in Temporal, as they would during a deploy.
  const accepted = await postOrders(env, tag, ORDERS);
  expect(accepted.map((a) => a.status)).toEqual(Array(ORDERS).fill(202));

  worker = startBuilt('worker', env);
  // Kill it while flows are half way: some orders are on the CRM, some runs are mid-activity.
  await eventually(() => (crm.notes.length >= ORDERS / 3 ? true : undefined), 120_000, 'a third of the orders to be noted');
  await stopBuilt(worker, 'SIGKILL');
  const notedAtKill = crm.notes.length;
  expect(notedAtKill).toBeLessThan(ORDERS);

  worker = startBuilt('worker', env);
  expect(await ordersApplied(client, crm, tag, accepted)).toEqual(everyOrderOnce(ORDERS));
  if (process.env.SHOW_SYSTEM_OUTPUT) console.log(`worker killed with ${notedAtKill} of ${ORDERS} orders noted`);
}, 300_000);
