/**
 * Every application and connector the engine can run: the ones written in code (catalog.ts) and
 * the ones imported from OpenAPI documents (stored per version). Imported versions never change,
 * so what is built from them is cached for good.
 */
import { applications } from '../applications';
import type { Application } from '../applications/framework/application';
import type { ImportedApplicationStore } from '../store/imported-application-store';
import { catalog, findAction, findConnector } from './catalog';
import type { Connector } from './framework/connector';
import { importedRuntime, type ImportedRuntime } from './openapi/to-runtime';
import { parseApplicationName } from './openapi/spec';

export class ConnectorRegistry {
  private readonly cache = new Map<string, Promise<ImportedRuntime | undefined>>();

  constructor(private readonly imported: ImportedApplicationStore) {}

  async application(name: string): Promise<Application | undefined> {
    return applications.find((app) => app.name === name) ?? (await this.importedRuntime(name))?.application;
  }

  /** `demoCrm.listContacts` (in code) or `petstore@v1.getPetById` (imported). */
  async connector(key: string): Promise<Connector | undefined> {
    const cut = key.indexOf('.');
    const group = key.slice(0, cut);
    if (!parseApplicationName(group)) return findConnector(key);
    return (await this.importedRuntime(group))?.connectors.get(key.slice(cut + 1));
  }

  /** The connector named `action` of application `application`, with the key flows and activities use. */
  async action(application: string, action: string): Promise<{ key: string; connector: Connector } | undefined> {
    if (!parseApplicationName(application)) return findAction(application, action);
    const connector = (await this.importedRuntime(application))?.connectors.get(action);
    return connector && { key: `${application}.${action}`, connector };
  }

  async applications(): Promise<Application[]> {
    const imported = await this.imported.list();
    const runtimes = await Promise.all(imported.map(({ slug, version }) => this.importedRuntime(`${slug}@v${version}`)));
    return [...applications, ...runtimes.flatMap((runtime) => (runtime ? [runtime.application] : []))];
  }

  async actionsOf(application: string): Promise<Connector[]> {
    if (!parseApplicationName(application)) {
      const group = Object.values(catalog as Record<string, Record<string, Connector>>).find((connectors) => Object.values(connectors)[0]?.application.name === application);
      return Object.values(group ?? {});
    }
    return [...((await this.importedRuntime(application))?.connectors.values() ?? [])];
  }

  private importedRuntime(name: string): Promise<ImportedRuntime | undefined> {
    const parsed = parseApplicationName(name);
    if (!parsed) return Promise.resolve(undefined);
    let runtime = this.cache.get(name);
    if (!runtime) {
      runtime = this.imported.get(parsed.slug, parsed.version).then((spec) => spec && importedRuntime(spec));
      // Cache only what exists: a version imported later must still be found.
      void runtime.then((found) => (found ? undefined : this.cache.delete(name)));
      this.cache.set(name, runtime);
    }
    return runtime;
  }
}
