import { connectorTaskQueue } from '../workflows/framework/task-queues';
import { defineApplication } from '../applications/framework/application';
import { catalog, codeApplications, findAction, findConnector, integrationOf, rateLimitedIntegrations } from './catalog';
import { defineConnector } from './framework/connector';
import { catalogKey, defineIntegration } from './framework/integration';
import { z } from 'zod';

it('keys each application folder by its name in camelCase, the keys flows, histories and metrics use', () => {
  // Not an exhaustive list: a new application folder must not need an edit here.
  expect(Object.keys(catalog)).toEqual(expect.arrayContaining(['demoCrm', 'demoErp', 'demoHelpdesk', 'demoMailer']));
  expect(findConnector('demoCrm.listContacts')).toBe(catalog.demoCrm.listContacts);
  expect(findAction('demo-erp', 'listProducts')).toEqual({ key: 'demoErp.listProducts', connector: catalog.demoErp.listProducts });
  expect(findConnector('demoCrm.nothing')).toBeUndefined();
  expect(findConnector('demoCrm.listContacts.more')).toBeUndefined();
  expect(codeApplications.map((app) => app.name)).toEqual(expect.arrayContaining(['demo-crm', 'demo-erp', 'demo-helpdesk', 'demo-mailer']));
});

it('derives the key the same way at run time as in the type', () => {
  const key: 'demoCrm' = catalogKey('demo-crm');
  expect(key).toBe('demoCrm');
  expect(catalogKey('acme-inventory-v2')).toBe('acmeInventoryV2');
  expect(catalogKey('shop')).toBe('shop');
});

it('takes each rate limit from its application', () => {
  expect(rateLimitedIntegrations()).toEqual(
    expect.arrayContaining([
      { key: 'demoErp', rateLimit: integrationOf('demo-erp')!.application.rateLimit },
      { key: 'demoHelpdesk', rateLimit: integrationOf('demo-helpdesk')!.application.rateLimit },
    ]),
  );
  expect(rateLimitedIntegrations().map(({ key }) => key)).not.toContain('demoCrm');
});

it("gives a connector with its own limit (Slack's Tier 2 methods) a group of its own, and routes its calls there", () => {
  const listUsers = integrationOf('slack')!.connectors.listUsers!;
  expect(rateLimitedIntegrations()).toEqual(
    expect.arrayContaining([
      { key: 'slack.listUsers', rateLimit: listUsers.rateLimit },
      { key: 'slack', rateLimit: integrationOf('slack')!.application.rateLimit },
    ]),
  );
  expect(connectorTaskQueue('flows', 'slack.listUsers')).toBe('flows.slack.listUsers');
  expect(connectorTaskQueue('flows', 'slack.postMessage')).toBe('flows.slack');
  expect(connectorTaskQueue('flows', 'demoCrm.listContacts')).toBe('flows');
});

describe('an application folder', () => {
  const app = defineApplication({ name: 'test-shop', title: 'Shop', settings: z.object({}), credentials: z.object({}), baseUrl: () => 'http://shop.test', auth: { kind: 'none' } });
  const other = defineApplication({ name: 'other-shop', title: 'Other', settings: z.object({}), credentials: z.object({}), baseUrl: () => 'http://other.test', auth: { kind: 'none' } });
  const listOrders = defineConnector({ application: app, name: 'listOrders', description: 'Orders', input: z.object({}), output: z.unknown(), request: () => ({ method: 'GET', path: '/orders' }) });

  it('is keyed by its application', () => {
    const integration = defineIntegration(app, { listOrders });
    const key: 'testShop' = integration.key;
    expect(key).toBe('testShop');
  });

  it("refuses another application's connector", () => {
    expect(() => defineIntegration(other, { listOrders })).toThrow('other-shop: connector "listOrders" belongs to application "test-shop"');
  });

  it('refuses a connector listed under another name', () => {
    expect(() => defineIntegration(app, { orders: listOrders })).toThrow('test-shop: connector "listOrders" is listed as "orders"');
  });
});
