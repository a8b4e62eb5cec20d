/** The flow registry refuses definitions that would misbehave at run time. */
import { z } from 'zod';
import { demoCrm } from '../../applications/demo-crm';
import { demoErp } from '../../applications/demo-erp';
import { orderPlaced } from '../order-placed';
import { syncContactsToMailingList } from '../sync-contacts-to-mailing-list';
import { defineFlows, flow, polling, webhook } from './flow';

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
    const orders = (path: string) => flow(orderPlaced, { application: demoCrm, description: '', trigger: webhook({ path, body: z.any(), example: {} }) });
    // Two flows of one application on one path: a fan-out.
    expect(defineFlows([orders('a'), { ...orders('a'), name: 'other' }]).webhooksAt('a').map((f) => f.name)).toEqual(['orderPlaced', 'other']);
    expect(() => defineFlows([orders('a'), { ...orders('a'), name: 'other', application: demoErp }])).toThrow(/used by flows of demo-crm and demo-erp/);
  });

  it('checks at compile time that a workflow accepts what its trigger gives', () => {
    // @ts-expect-error a webhook flow cannot be started by a schedule: it needs a body
    flow(orderPlaced, { application: demoCrm, description: '', trigger: polling({ every: '1m' }) });
    expect(true).toBe(true);
  });
});
