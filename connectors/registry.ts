/**
 * Every application and connector the engine can run: the ones written in code (catalog.ts) and
 * the ones imported from OpenAPI documents (stored per version). The one lookup of applications:
 * the API, the worker, activities and channels from the environment all ask it, so an imported
 * application is found wherever a written one is. Imported versions never change, so what is
 * built from them is cached for good.
 */
import type { Application } from '../applications/framework/application';
import type { ImportedApplicationStore } from '../store/imported-application-store';
import { codeApplications, findAction, findConnector, integrationOf } from './catalog';
import type { Connector } from './framework/connector';
import { importedRuntime, type ImportedRuntime } from './openapi/to-runtime';
import { parseApplicationName } from './openapi/spec';

/** What callers that only need applications depend on (channels from the environment, tests). */
export interface ApplicationLookup {
  application(name: string): Promise<Application | undefined>;
  applications(): Promise<Application[]>;
}

export class ConnectorRegistry implements ApplicationLookup {
  private readonly cache = new Map<string, Promise<ImportedRuntime | undefined>>();

  /** Only reads of the imported documents: a lookup without a store (`npm run dryrun` before any start) passes none. */
  constructor(private readonly imported: Pick<ImportedApplicationStore, 'list' | 'get'>) {}

  async application(name: string): Promise<Application | undefined> {
    return integrationOf(name)?.application ?? (await this.importedRuntime(name))?.application;
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
    return [...codeApplications, ...runtimes.flatMap((runtime) => (runtime ? [runtime.application] : []))];
  }

  async actionsOf(application: string): Promise<Connector[]> {
    if (!parseApplicationName(application)) return Object.values(integrationOf(application)?.connectors ?? {});
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
