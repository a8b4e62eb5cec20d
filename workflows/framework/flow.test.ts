/** The flow registry refuses definitions that would misbehave at run time. */
import { z } from 'zod';
import { demoCrm } from '../../connectors/demo-crm/application';
import { demoErp } from '../../connectors/demo-erp/application';
import { demoMailer } from '../../connectors/demo-mailer/application';
import { flows as demoFlows } from '../flows';
import { orderPlaced } from '../order-placed';
import { syncContactsToMailingList } from '../sync-contacts-to-mailing-list';
import { ticketEventSignal, ticketLifecycle } from '../ticket-lifecycle';
import { RecentDeliveries } from './entity-deliveries';
import type { Application } from '../../applications/framework/application';
import type { ImportedApplication } from '../../applications/framework/imported-application';
import { integrationOf } from '../../connectors/catalog';
import { defineFlows, entityWebhook, flow, flowApplications, polling, webhook } from './flow';
import { signatureView, unsigned, warnUnsignedWebhooks } from './webhook-verification';

const body = z.object({ id: z.string() });
/** The applications written in code, as the registry finds them. */
const codeLookup = { application: async (name: string) => integrationOf(name)?.application };

describe('flow definitions', () => {
  it('rejects a webhook example that does not pass its body schema', () => {
    expect(() => webhook({ path: 'x/y', body, example: { id: 1 } as never })).toThrow(/example does not pass/);
  });

  it('rejects webhook paths that are not plain lower-case segments', () => {
    for (const path of ['', '/leading', 'Upper', 'a//b', 'a/../b', 'a b']) {
      expect(() => webhook({ path, body, example: { id: '1' } })).toThrow(/webhook path/);
    }
  });

  it('rejects malformed and sub-second polling intervals', () => {
    expect(() => polling({ every: 'often' as '1m' })).toThrow();
    expect(() => polling({ every: '10ms' })).toThrow(/at least 1 second/);
    expect(polling({ every: '5m' })).toEqual({ type: 'polling', every: '5m', overlap: 'skip', catchupWindow: '1 minute' });
    expect(() => polling({ every: '1m', jitter: '2m' })).toThrow(/jitter/);
    expect(() => polling({ every: '1m', catchupWindow: '1s' })).toThrow(/catch-up window/);
  });

  it('rejects two flows with one name, and one webhook path shared by two applications', () => {
    const sync = flow(syncContactsToMailingList, { application: demoCrm, description: '', trigger: polling({ every: '1m' }) });
    expect(() => defineFlows([sync, sync])).toThrow(/two flows are named/);
    const orders = (path: string) => flow(orderPlaced, { application: demoCrm, description: '', trigger: webhook({ path, body: z.any(), example: {}, verification: unsigned() }) });
    // Two flows of one application on one path: a fan-out.
    expect(
      defineFlows([orders('a'), { ...orders('a'), name: 'other' }])
        .webhooksAt('a')
        .map((f) => f.name),
    ).toEqual(['orderPlaced', 'other']);
    expect(() => defineFlows([orders('a'), { ...orders('a'), name: 'other', application: demoErp.name }])).toThrow(/used by flows of demo-crm and demo-erp/);
  });

  it('checks at compile time that a workflow accepts what its trigger gives', () => {
    // @ts-expect-error a webhook flow cannot be started by a schedule: it needs a body
    flow(orderPlaced, { application: demoCrm, description: '', trigger: polling({ every: '1m' }) });
    expect(true).toBe(true);
  });
});

describe('webhook verification', () => {
  const contactEvent = z.object({ id: z.string() });

  it('is a compile error, and an error when defined, for a webhook flow that says neither a scheme nor unsigned()', () => {
    expect(() =>
      // @ts-expect-error demo-crm declares no signature scheme, so the trigger must opt in with verification: unsigned()
      flow(orderPlaced, { application: demoCrm, description: '', trigger: webhook({ path: 'a', body: z.any(), example: {} }) }),
    ).toThrow(/declares no webhook signature.*verification: unsigned\(\)/);
    expect(() =>
      // @ts-expect-error the same for entity webhooks
      flow(ticketLifecycle, { application: demoCrm, description: '', trigger: entityWebhook({ path: 'a', body: z.any(), example: {}, signal: ticketEventSignal, entityId: () => 'x' }) }),
    ).toThrow(/declares no webhook signature/);
  });

  it('needs no opt-in on an application with a scheme, and refuses one there (the API would never honour it)', () => {
    const signed = flow(orderPlaced, { application: demoMailer, description: '', trigger: webhook({ path: 'a', body: z.any(), example: {} }) });
    expect(signatureView(signed, demoMailer)).toEqual({ scheme: 'hmac-sha256', header: 'x-mailer-signature' });
    expect(() => flow(orderPlaced, { application: demoMailer, description: '', trigger: webhook({ path: 'a', body: z.any(), example: {}, verification: unsigned() }) })).toThrow(
      /verifies hmac-sha256 signatures; remove verification: unsigned\(\)/,
    );
  });

  it('checks definitions made without flow() too, when the applications are resolved at start', async () => {
    const orders = flow(orderPlaced, { application: demoCrm, description: '', trigger: webhook({ path: 'a', body: z.any(), example: {}, verification: unsigned() }) });
    const { verification: _dropped, ...trigger } = orders.trigger;
    await expect(flowApplications(defineFlows([{ ...orders, trigger }]), codeLookup)).rejects.toThrow(/declares no webhook signature/);
  });

  it('warns about every unsigned webhook flow, naming it and its path', async () => {
    const lines: string[] = [];
    const codeFlows = defineFlows(demoFlows.all.filter((f) => integrationOf(f.application)));
    expect(warnUnsignedWebhooks(codeFlows, await flowApplications(codeFlows, codeLookup), { warn: (line) => lines.push(line) })).toEqual(['orderPlaced', 'ticketLifecycle']);
    expect(lines).toEqual([expect.stringMatching(/orderPlaced .*unsigned.*POST \/webhooks\/demo-crm\/orders/), expect.stringMatching(/ticketLifecycle .*POST \/webhooks\/demo-crm\/ticket-events/)]);
  });

  it('refuses a deliveryId.bodyField that is not a plain field name', () => {
    expect(() => webhook({ path: 'a', body: contactEvent, example: { id: 'e' }, verification: unsigned(), deliveryId: { bodyField: 'data.id' } })).toThrow(/bodyField/);
  });
});

describe('flows of imported applications', () => {
  const signedRef = { kind: 'imported', name: 'stock@v2' } as ImportedApplication<'stock@v2', unknown, true>;
  const unsignedRef = { kind: 'imported', name: 'stock@v1' } as ImportedApplication<'stock@v1', unknown, false>;
  const trigger = () => webhook({ path: 'stock/changed', body: z.any(), example: {} });
  // Stand-ins for what the registry builds from a stored version: an application with or without a scheme.
  const imported = (name: string, signed: boolean) => ({ ...demoMailer, name, webhooks: signed ? demoMailer.webhooks : undefined }) as unknown as Application;
  const lookup = { application: async (name: string) => ({ 'stock@v1': imported('stock@v1', false), 'stock@v2': imported('stock@v2', true) })[name] ?? integrationOf(name)?.application };

  it('name the application by name@version, or by the reference the generated types export', async () => {
    const byName = flow(orderPlaced, { application: 'stock@v2', description: '', trigger: trigger() });
    const byRef = flow(ticketLifecycle, {
      application: signedRef,
      description: '',
      trigger: entityWebhook({ path: 'stock/changed', body: z.any(), example: {}, signal: ticketEventSignal, entityId: () => 'x' }),
    });
    expect([byName.application, byRef.application]).toEqual(['stock@v2', 'stock@v2']);
    const applications = await flowApplications(defineFlows([byName, byRef]), lookup);
    expect(applications.get('stock@v2')?.webhooks?.signature.kind).toBe('hmac-sha256');
  });

  it('check their webhook verification at compile time from the reference, and at start from the application', async () => {
    // @ts-expect-error the generated reference says stock@v1 verifies no signatures: the trigger must opt in
    flow(orderPlaced, { application: unsignedRef, description: '', trigger: trigger() });
    flow(orderPlaced, { application: unsignedRef, description: '', trigger: webhook({ path: 'stock/changed', body: z.any(), example: {}, verification: unsigned() }) });
    // A bare name is not known to the compiler: the start refuses it instead.
    const bare = flow(orderPlaced, { application: 'stock@v1', description: '', trigger: trigger() });
    await expect(flowApplications(defineFlows([bare]), lookup)).rejects.toThrow('webhook flow orderPlaced (stock/changed): application stock@v1 declares no webhook signature');
  });

  it('stop the start when the application they name does not exist, naming the flow', async () => {
    const missing = flow(syncContactsToMailingList, { application: 'stock@v9', description: '', trigger: polling({ every: '1m' }) });
    await expect(flowApplications(defineFlows([missing]), lookup)).rejects.toThrow(/^flow syncContactsToMailingList names application stock@v9, which is neither written in code nor imported/);
  });

  it('refuse a string that is not an imported name', () => {
    // @ts-expect-error applications written in code are named by their object
    expect(() => flow(syncContactsToMailingList, { application: 'demo-crm', description: '', trigger: polling({ every: '1m' }) })).toThrow(/"demo-crm" is not an imported application's name/);
  });
});

describe('RecentDeliveries', () => {
  it('admits an id once while it is among the last `limit`, and stays bounded', () => {
    const recent = new RecentDeliveries([], 3);
    expect(['a', 'b', 'a', 'c', 'd'].map((id) => recent.admit(id))).toEqual([true, true, false, true, true]);
    expect(recent.toArray()).toEqual(['b', 'c', 'd']);
    expect(recent.admit('a')).toBe(true); // forgotten: 'a' was the oldest
    expect(recent.admit('d')).toBe(false);
  });

  it('resumes from what continue-as-new carried, keeping only the newest `limit`', () => {
    const recent = new RecentDeliveries(['a', 'b', 'c', 'd'], 2);
    expect(recent.toArray()).toEqual(['c', 'd']);
    expect(recent.admit('d')).toBe(false);
    expect(recent.admit('b')).toBe(true);
    const many = new RecentDeliveries();
    for (let i = 0; i < 5_000; i++) many.admit(`id-${i}`);
    expect(many.toArray()).toHaveLength(1_000);
  });
});
