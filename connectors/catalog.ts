/**
 * Every connector written in code, by catalog key: `catalog.demoCrm.listContacts`. Built from the
 * application folders (connectors/integrations.ts, generated), so a new folder is in the catalog
 * without a line here. Activities look connectors up by `<key>.<name>`; workflows import only the
 * type, so the workflow bundle stays free of HTTP code.
 */
import type { Application, RateLimit } from '../applications/framework/application';
import type { Connector } from './framework/connector';
import type { Integration } from './framework/integration';
import { integrations } from './integrations';

type Integrations = (typeof integrations)[number];

/** `{ demoCrm: { listContacts, … }, … }`, keyed as flows call them. */
export type Catalog = { readonly [I in Integrations as I['key']]: I['connectors'] };

const byKey = new Map<string, Integration>();
const byApplication = new Map<string, Integration>();
for (const integration of integrations as readonly Integration[]) {
  // Two folders defining one application (or names that camelCase alike) would shadow each other.
  const clash = byKey.get(integration.key) ?? byApplication.get(integration.application.name);
  if (clash) throw new Error(`applications "${clash.application.name}" and "${integration.application.name}" share the catalog key "${integration.key}"`);
  byKey.set(integration.key, integration);
  byApplication.set(integration.application.name, integration);
}

export const catalog = Object.fromEntries([...byKey].map(([key, integration]) => [key, integration.connectors])) as Catalog;

/** The applications written in code; imported ones come from the store (see registry.ts). */
export const codeApplications: readonly Application[] = [...byApplication.values()].map((integration) => integration.application);

/** The folder of the application named `name` (`demo-crm`), if it is written in code. */
export function integrationOf(name: string): Integration | undefined {
  return byApplication.get(name);
}

/** `demoCrm.listContacts` → its connector. */
export function findConnector(key: string): Connector | undefined {
  const [group, name, ...rest] = key.split('.');
  if (!group || !name || rest.length > 0) return undefined;
  const connectors = byKey.get(group)?.connectors;
  return connectors && Object.hasOwn(connectors, name) ? connectors[name] : undefined;
}

/** The connector called `action` of the application named `application`, with its catalog key. */
export function findAction(application: string, action: string): { key: string; connector: Connector } | undefined {
  const integration = byApplication.get(application);
  const connector = integration && Object.hasOwn(integration.connectors, action) ? integration.connectors[action] : undefined;
  return integration && connector && { key: `${integration.key}.${action}`, connector };
}

/**
 * The rate-limit groups, with their limits: a catalog key whose application declares one
 * (`slack`), and a connector key whose connector declares its own (`slack.listUsers`). The worker
 * gives each a task queue of its own, and the generated workflow manifest lists the keys.
 */
export function rateLimitedIntegrations(): Array<{ key: string; rateLimit: RateLimit }> {
  return [...byKey].flatMap(([key, { application, connectors }]) => [
    ...(application.rateLimit ? [{ key, rateLimit: application.rateLimit }] : []),
    ...Object.entries(connectors).flatMap(([name, connector]) => (connector.rateLimit ? [{ key: `${key}.${name}`, rateLimit: connector.rateLimit }] : [])),
  ]);
}
