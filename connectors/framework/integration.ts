/**
 * One application folder (`connectors/<app>/index.ts`): the application and its connectors. The
 * catalog key under which flows call them (`demoCrm.listContacts`) is derived from the
 * application's name, so no one keeps a camelCase copy of it by hand. Those keys are a contract:
 * they are in workflow code, run histories, activity summaries and metrics.
 */
import type { Application } from '../../applications/framework/application';
import type { z } from 'zod';
import type { Connector } from './connector';

/** `demo-crm` → `demoCrm`, as a type: what `useConnectors()` offers is typed by it. */
export type CatalogKey<Name extends string> = Name extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CatalogKey<Tail>>}` : Name;

/** `demo-crm` → `demoCrm`: the same as CatalogKey, at run time. */
export function catalogKey<Name extends string>(name: Name): CatalogKey<Name> {
  const [head = '', ...tail] = name.split('-');
  return (head + tail.map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('')) as CatalogKey<Name>;
}

export interface Integration<Key extends string = string, Connectors extends Record<string, Connector> = Record<string, Connector>> {
  /** The catalog key: the application's name in camelCase. */
  readonly key: Key;
  readonly application: Application;
  /** By name: each connector's key is its own `name`. */
  readonly connectors: Readonly<Connectors>;
}

/**
 * An application folder's export. Checked when it is loaded: every connector belongs to this
 * application and is listed under its own name (the key in activity calls and logs).
 */
export function defineIntegration<Name extends string, Connectors extends Record<string, Connector>>(
  application: Application<z.ZodType, z.ZodType, boolean, Name>,
  connectors: Connectors,
): Integration<CatalogKey<Name>, Connectors> {
  for (const [name, connector] of Object.entries(connectors)) {
    if (connector.application !== application) throw new Error(`${application.name}: connector "${name}" belongs to application "${connector.application.name}"`);
    if (connector.name !== name) throw new Error(`${application.name}: connector "${connector.name}" is listed as "${name}" (list it under its own name)`);
  }
  return Object.freeze({ key: catalogKey(application.name), application, connectors: Object.freeze({ ...connectors }) });
}
