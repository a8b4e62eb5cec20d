/**
 * Typed calls of imported (OpenAPI) actions inside workflows. `Actions` is the interface the
 * generated types declare (`npm run generate` for a committed application, `npm run
 * openapi:types` for one imported through the API); the calls are the same activities as any
 * other connector's, with `.pages()` and `.batch()`.
 */
import type { ActivityOptions } from '@temporalio/workflow';
import type { ImportedApplication, importedActions } from '../../applications/framework/imported-application';
import { connectorCallables, type Callable } from './connectors';

type ActionShape = { input: unknown; output: unknown };

export type ImportedClient<Actions> = {
  readonly [Name in keyof Actions]: Actions[Name] extends ActionShape ? Callable<Actions[Name]['input'], Actions[Name]['output']> : never;
};

/** The actions' types a reference carries. */
type ActionsOf<A> = A extends { readonly [importedActions]?: infer Actions } ? Actions : never;

/**
 * `application`: the reference a committed application's generated types export
 * (`useImportedConnectors(inventoryV1)`), or the imported application's name with its version
 * and the generated interface (`useImportedConnectors<PetstoreV1>('petstore@v1')`).
 */
export function useImportedConnectors<A extends ImportedApplication>(application: A, options?: ActivityOptions): ImportedClient<ActionsOf<A>>;
export function useImportedConnectors<Actions>(application: string, options?: ActivityOptions): ImportedClient<Actions>;
export function useImportedConnectors(application: string | ImportedApplication, options: ActivityOptions = {}): ImportedClient<Record<string, ActionShape>> {
  const name = typeof application === 'string' ? application : application.name;
  const callable = connectorCallables(options);
  return new Proxy({} as ImportedClient<Record<string, ActionShape>>, {
    get: (_target, action) => (typeof action === 'string' ? callable(`${name}.${action}`) : undefined),
  });
}
