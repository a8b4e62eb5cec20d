/**
 * API_WORKER: the API's own worker on the flows' queue takes webhook runs eagerly (Temporal hands
 * back each run's first workflow task with its answer to the start). Built processes, as `npm start`
 * runs them, against the shared Temporal. The runs are durable all the same: an API killed right
 * after answering leaves its runs to the worker process, which applies each order once.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { startDemoCrm, type DemoCrm } from '../demo/crm-server';
import { startBuilt, stopBuilt, type BuiltProcess } from './support/built-process';
import { endOrderBurst, everyOrderOnce, orderBurstEnv, ordersApplied, postOrders } from './support/order-burst';
import { DEMO_API_KEY, eventually, getJson, temporalAddress } from './support/system';

let client: Client;
const processes: Array<BuiltProcess | undefined> = [];
const crms: DemoCrm[] = [];

/** A CRM of its own per test: everyOrderOnce counts every note on it. */
async function newCrm(): Promise<DemoCrm> {
  const crm = await startDemoCrm({ apiKey: DEMO_API_KEY, contacts: 0 });
  crms.push(crm);
  return crm;
}

async function startApi(env: NodeJS.ProcessEnv): Promise<BuiltProcess> {
  const api = startBuilt('api', { ...env, API_WORKER: '1' });
  processes.push(api);
  await eventually(async () => ((await getJson(`http://127.0.0.1:${env.PORT}/health`).catch(() => undefined))?.status === 200 ? true : undefined), 30_000, 'the API to be healthy');
  // Its worker connects in the background; until it runs, starts are not eager.
  await eventually(() => (api.output().includes('webhook runs start eagerly') ? true : undefined), 30_000, "the API's worker to run");
  return api;
}

const firstEvent = async (workflowId: string) => (await client.workflow.getHandle(workflowId).fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes;

beforeAll(async () => {
  client = new Client({ connection: await Connection.connect({ address: temporalAddress() }) });
});

afterAll(async () => {
  await endOrderBurst(processes, client, undefined);
  for (const crm of crms) await crm.close();
});

it('runs webhook flows in the API process, started eagerly, with no worker process running', async () => {
  const tag = randomUUID().slice(0, 8);
  const crm = await newCrm();
  const env = await orderBurstEnv(crm, `eager-${tag}`);
  const api = await startApi(env);
  // `npm run build` (npm test runs it) built the bundle the built processes load instead of bundling.
  expect(api.output()).toContain('flows from the prebuilt bundle');
  const accepted = await postOrders(env, tag, 10);
  expect(accepted.map((a) => a.status)).toEqual(Array(10).fill(202));
  expect(await ordersApplied(client, crm, tag, accepted)).toEqual(everyOrderOnce(10));
  const started = await Promise.all(accepted.map((a) => firstEvent(a.body.workflowId)));
  expect(started.map((attributes) => attributes?.eagerExecutionAccepted)).toEqual(Array(10).fill(true));
}, 120_000);

it('finishes the eagerly started runs of an API killed right after answering, each order applied once', async () => {
  const tag = randomUUID().slice(0, 8);
  const crm = await newCrm();
  const env = await orderBurstEnv(crm, `eager-kill-${tag}`);
  const api = await startApi(env);
  const accepted = await postOrders(env, tag, 40);
  expect(accepted.map((a) => a.status)).toEqual(Array(40).fill(202));
  // Its workflow tasks die with it: Temporal gives them to another worker once they time out.
  await stopBuilt(api, 'SIGKILL');
  const eager = (await Promise.all(accepted.map((a) => firstEvent(a.body.workflowId)))).filter((attributes) => attributes?.eagerExecutionAccepted).length;
  expect(eager).toBeGreaterThan(0);
  processes.push(startBuilt('worker', env));
  expect(await ordersApplied(client, crm, tag, accepted)).toEqual(everyOrderOnce(40));
}, 180_000);
