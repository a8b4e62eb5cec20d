/**
 * Every application and connector the engine can run: the ones written in code (catalog.ts) and
 * the ones imported from OpenAPI documents (stored per version), those committed under
 * `applications/<name>/` included. The one lookup of applications: the API, the worker, flows,
 * webhooks, schedules, activities and channels from the environment all ask it, so an imported
 * application is found wherever a written one is. Imported versions never change, so what is
 * built from them is cached for good. The committed applications are imported (or found) before
 * the first lookup answers (committed.ts).
 */
import type { Application, RateLimit } from '../applications/framework/application';
import type { ImportedApplicationStore } from '../store/imported-application-store';
import { codeApplications, findAction, findConnector, integrationOf } from './catalog';
import type { Connector } from './framework/connector';
import { importCommittedApplications, type CommittedImport } from './openapi/committed';
import { importedRuntime, type ImportedRuntime } from './openapi/to-runtime';
import { parseApplicationName } from './openapi/spec';

/** What callers that only need applications depend on (channels from the environment, tests). */
export interface ApplicationLookup {
  application(name: string): Promise<Application | undefined>;
  applications(): Promise<Application[]>;
}

export class ConnectorRegistry implements ApplicationLookup {
  private readonly cache = new Map<string, Promise<ImportedRuntime | undefined>>();
  private committed: Promise<CommittedImport[]> | undefined;

  /** `root`: the repository whose `applications/` are imported (default: this one). */
  constructor(
    private readonly imported: ImportedApplicationStore,
    private readonly options: { root?: string; withoutCommitted?: boolean } = {},
  ) {}

  /**
   * The committed applications, imported at the versions the repository gives them, once per
   * registry; every lookup of an imported application waits for it. The worker and the API call
   * it as they start, so a document changed without `npm run generate` stops the start.
   */
  ready(): Promise<CommittedImport[]> {
    // Without a store to import into (`npm run dryrun` before any start) there are none.
    this.committed ??= this.options.withoutCommitted ? Promise.resolve([]) : importCommittedApplications(this.imported, this.options.root);
    return this.committed;
  }

  async application(name: string): Promise<Application | undefined> {
    return integrationOf(name)?.application ?? (await this.importedRuntime(name))?.application;
  }

  /**
   * The committed applications that declare a rate limit, by the group their calls run in: the
   * slug, so every version shares the budget the current application file gives
   * (workflows/framework/task-queues.ts routes `inventory@v2.listItems` to `<queue>.inventory`).
   */
  async rateLimitedImported(): Promise<Array<{ key: string; rateLimit: RateLimit }>> {
    const limited: Array<{ key: string; rateLimit: RateLimit }> = [];
    for (const { application } of await this.ready()) {
      const rateLimit = (await this.application(application))?.rateLimit;
      const slug = parseApplicationName(application)?.slug;
      if (rateLimit && slug) limited.push({ key: slug, rateLimit });
    }
    return limited;
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
    await this.ready();
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
      runtime = this.ready()
        .then(() => this.imported.get(parsed.slug, parsed.version))
        .then((spec) => spec && importedRuntime(spec));
      // Cache only what exists: a version imported later must still be found.
      void runtime.then(
        (found) => (found ? undefined : this.cache.delete(name)),
        () => this.cache.delete(name),
      );
      this.cache.set(name, runtime);
    }
    return runtime;
  }
}
