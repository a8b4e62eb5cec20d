/**
 * An imported application as code names it: its `<name>@v<n>`, with the types of its actions and
 * whether it verifies webhook signatures, both known at compile time. `npm run generate` writes one
 * for each committed application (`applications/<name>/openapi.types.ts`), so a flow can take it
 * as its application and a workflow its actions:
 *
 * ```ts
 * flow(stockChanged, { application: inventoryV1, trigger: webhook({ path: 'inventory/stock', … }) })
 * const inventory = useImportedConnectors(inventoryV1);
 * ```
 *
 * Plain data, so workflow code may import it.
 */

/** Type only: whether deliveries are verified (the application file names a signature scheme). */
export declare const importedSignatures: unique symbol;
/** Type only: the actions' inputs and outputs, `{ [action]: { input; output } }`. */
export declare const importedActions: unique symbol;

export interface ImportedApplication<Name extends string = string, Actions = unknown, Signed extends boolean = boolean> {
  readonly kind: 'imported';
  /** `<name>@v<n>`, as channels, connector keys and the API name it. */
  readonly name: Name;
  readonly [importedSignatures]?: Signed;
  readonly [importedActions]?: Actions;
}

/** An imported application's name as code writes it, e.g. `petstore@v1`. */
export type ImportedApplicationName = `${string}@v${number}`;

export function isImportedApplication(value: unknown): value is ImportedApplication {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'imported' && typeof (value as { name?: unknown }).name === 'string';
}
