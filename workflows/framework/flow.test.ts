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
import { defineFlows, entityWebhook, flow, polling, webhook } from './flow';
import { signatureView, unsigned, warnUnsignedWebhooks } from './webhook-verification';

const body = z.object({ id: z.string() });

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
    expect(() => defineFlows([orders('a'), { ...orders('a'), name: 'other', application: demoErp }])).toThrow(/used by flows of demo-crm and demo-erp/);
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
    expect(signatureView(signed)).toEqual({ scheme: 'hmac-sha256', header: 'x-mailer-signature' });
    expect(() => flow(orderPlaced, { application: demoMailer, description: '', trigger: webhook({ path: 'a', body: z.any(), example: {}, verification: unsigned() }) })).toThrow(
      /verifies hmac-sha256 signatures; remove verification: unsigned\(\)/,
    );
  });

  it('checks definitions made without flow() too', () => {
    const orders = flow(orderPlaced, { application: demoCrm, description: '', trigger: webhook({ path: 'a', body: z.any(), example: {}, verification: unsigned() }) });
    const { verification: _dropped, ...trigger } = orders.trigger;
    expect(() => defineFlows([{ ...orders, trigger }])).toThrow(/declares no webhook signature/);
  });

  it('warns about every unsigned webhook flow, naming it and its path', () => {
    const lines: string[] = [];
    expect(warnUnsignedWebhooks(demoFlows, { warn: (line) => lines.push(line) })).toEqual(['orderPlaced', 'ticketLifecycle']);
    expect(lines).toEqual([expect.stringMatching(/orderPlaced .*unsigned.*POST \/webhooks\/demo-crm\/orders/), expect.stringMatching(/ticketLifecycle .*POST \/webhooks\/demo-crm\/ticket-events/)]);
  });

  it('refuses a deliveryId.bodyField that is not a plain field name', () => {
    expect(() => webhook({ path: 'a', body: contactEvent, example: { id: 'e' }, verification: unsigned(), deliveryId: { bodyField: 'data.id' } })).toThrow(/bodyField/);
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
