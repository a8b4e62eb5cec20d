/**
 * Payload encryption end to end: with the codec, Temporal stores ciphertext only, the flows still
 * run, and the API's codec server decodes for whoever holds the codec token (as the Web UI does).
 */
import { Client, Connection } from '@temporalio/client';
import { generateKey, parseKeys } from '../store/credential-cipher';
import { EncryptionCodec } from '../runtime/payload-codec';
import { orderPlacedExample } from '../workflows/order-placed.schema';
import { authHeaders, getJson, postJson, startTestSystem, temporalAddress, type TestSystem } from './support/system';

const CODEC_TOKEN = 'codec-token-not-a-real-secret';
let system: TestSystem;
let plain: Client;
beforeAll(async () => {
  system = await startTestSystem({ security: { codecToken: CODEC_TOKEN }, codec: new EncryptionCodec(parseKeys(`${generateKey('old')},${generateKey('new')}`).reverse()) });
  plain = new Client({ connection: await Connection.connect({ address: temporalAddress() }) });
});
afterAll(async () => {
  await plain?.connection.close();
  await system?.stop();
});

it('stores ciphertext in Temporal, runs the flow, and decodes through /codec/decode for the token holder only', async () => {
  const order = { ...orderPlacedExample, orderId: 'ord_secret_42', customerEmail: 'grace.lovelace.2@example.com' };
  const res = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, order, { 'x-delivery-id': 'codec-1' });
  expect(res.status).toBe(202);
  expect(await system.client.workflow.getHandle(res.body.workflowId).result()).toMatchObject({ contactId: 'c_2' });

  // Read with a client that has no codec: what the server (and its database) holds.
  const history = await plain.workflow.getHandle(res.body.workflowId).fetchHistory();
  const text = JSON.stringify(history);
  expect(text).not.toContain('ord_secret_42');
  expect(text).not.toContain('grace.lovelace');
  const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
  expect(Buffer.from(input.metadata!.encoding!).toString()).toBe('binary/encrypted');

  const body = {
    payloads: [{ metadata: Object.fromEntries(Object.entries(input.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])), data: Buffer.from(input.data!).toString('base64') }],
  };
  expect((await postJson(`${system.apiUrl}/codec/decode`, body, { authorization: '' })).status).toBe(401);
  expect((await postJson(`${system.apiUrl}/codec/decode`, body, { authorization: 'Bearer wrong' })).status).toBe(401);
  const decoded = await postJson(`${system.apiUrl}/codec/decode`, body, { authorization: `Bearer ${CODEC_TOKEN}` });
  expect(decoded.status).toBe(200);
  const payload = decoded.body.payloads[0];
  expect(Buffer.from(payload.metadata.encoding, 'base64').toString()).toBe('json/plain');
  expect(JSON.parse(Buffer.from(payload.data, 'base64').toString())).toMatchObject({ channelId: 'demo-crm-default', body: { orderId: 'ord_secret_42' } });

  // The Web UI's preflight from its origin is answered.
  const preflight = await fetch(`${system.apiUrl}/codec/decode`, { method: 'OPTIONS' });
  expect(preflight.status).toBe(204);
  expect((await postJson(`${system.apiUrl}/codec/decode`, { payloads: 'nope' }, { authorization: `Bearer ${CODEC_TOKEN}` })).status).toBe(400);
});

it('decodes what an older key sealed, after rotation', async () => {
  const [older, newer] = [generateKey('k1'), generateKey('k2')];
  const sealed = await new EncryptionCodec(parseKeys(older)).encode([{ metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode('"hello"') }]);
  const [opened] = await new EncryptionCodec(parseKeys(`${newer},${older}`)).decode(sealed);
  expect(new TextDecoder().decode(opened!.data)).toBe('"hello"');
  await expect(new EncryptionCodec(parseKeys(newer)).decode(sealed)).rejects.toThrow(/unknown key "k1"/);
});

it('trusts no caller for being on this machine: a read key or the codec token decodes, and the token opens nothing else', async () => {
  const body = { payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"plain"').toString('base64') }] };
  const encoded = await postJson(`${system.apiUrl}/codec/encode`, body);
  expect(encoded.status).toBe(200);
  // From loopback, without a key: refused (behind a local reverse proxy, everyone is on loopback).
  expect((await postJson(`${system.apiUrl}/codec/decode`, encoded.body, { authorization: '' })).status).toBe(401);
  const readKey = (await postJson(`${system.apiUrl}/api-keys`, { name: 'web-ui', scopes: ['read'] })).body.key as string;
  const local = await postJson(`${system.apiUrl}/codec/decode`, encoded.body, authHeaders(readKey));
  expect(local.status).toBe(200);
  expect(Buffer.from(local.body.payloads[0].data, 'base64').toString()).toBe('"plain"');
  expect((await getJson(`${system.apiUrl}/channels`, authHeaders(CODEC_TOKEN))).status).toBe(403);
});
