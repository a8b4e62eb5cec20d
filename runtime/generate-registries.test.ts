import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { rateLimitedIntegrations } from '../connectors/catalog';
import { committedRateLimitedGroups } from '../connectors/openapi/committed';
import { connectorManifest, discoveredFlowsIndex, integrationsIndex, workflowBundleIndex, type GeneratedFile } from './generate-registries';

const root = join(__dirname, '..');
const committed = (file: GeneratedFile) => readFileSync(join(root, file.path), 'utf8');

describe('the generated files are what the code says (else: npm run generate)', () => {
  it('connectors/integrations.ts lists every application folder', () => {
    const file = integrationsIndex(root);
    expect(committed(file)).toBe(file.content);
  });

  it('workflows/index.ts exports every registered workflow', () => {
    const file = workflowBundleIndex(root);
    expect(committed(file)).toBe(file.content);
  });

  it('workflows/generated/flows.ts lists every flow file', () => {
    const file = discoveredFlowsIndex(root);
    expect(committed(file)).toBe(file.content);
  });

  it('workflows/generated/connector-manifest.ts lists the rate-limited applications, written in code and committed', () => {
    const file = connectorManifest([...rateLimitedIntegrations().map(({ key }) => key), ...committedRateLimitedGroups(root)]);
    expect(committed(file)).toBe(file.content);
  });

  // The committed applications' versions and types are formatted with prettier, which jest cannot
  // load: the script's own check runs them, from the sources, as `npm run generate` would write them.
  it('applications/<name>/versions.json and openapi.types.ts say what each committed document does', () => {
    expect(() => execFileSync(process.execPath, [join(root, 'scripts', 'generate.mjs'), '--check'], { cwd: root, encoding: 'utf8', stdio: 'pipe' })).not.toThrow();
  }, 60_000);
});

describe('the bundle entry', () => {
  const fixture = (flows: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'registries-'));
    mkdirSync(join(dir, 'workflows'));
    writeFileSync(join(dir, 'workflows/flows.ts'), flows);
    return dir;
  };

  it('exports each registered flow from the file the registry imports it from', () => {
    const dir = fixture(`import { b, a } from './two';\nimport { c } from './c';\nexport const flows = defineFlows([flow(a, {}), flow(b, {}), flow(c, {})]);\n`);
    expect(workflowBundleIndex(dir).content).toContain(`export { c } from './c';\nexport { a, b } from './two';\n`);
  });

  it('takes the flows of the flow files (workflows/*.flow.ts) too, and lists those files for the registry', () => {
    const dir = fixture(`import { a } from './a';\nexport const flows = defineFlows([flow(a, {})]);\n`);
    writeFileSync(join(dir, 'workflows/order-to-invoice.flow.ts'), `import { orderToInvoice } from './order-to-invoice';\nexport default flow(orderToInvoice, { description: 'x' });\n`);
    writeFileSync(join(dir, 'workflows/order-to-invoice.ts'), 'export async function orderToInvoice() {}\n');
    expect(workflowBundleIndex(dir).content).toContain(`export { a } from './a';\nexport { orderToInvoice } from './order-to-invoice';\n`);
    const registry = discoveredFlowsIndex(dir).content;
    expect(registry).toContain(`import orderToInvoiceFlow from '../order-to-invoice.flow';`);
    expect(registry).toContain('export const discoveredFlows: FlowDefinition[] = [orderToInvoiceFlow];');
  });

  it('refuses a flow file whose default export is not its flow(…), or that is not named in kebab-case', () => {
    const dir = fixture(`export const flows = defineFlows([]);\n`);
    writeFileSync(join(dir, 'workflows/stray.flow.ts'), `import { stray } from './stray';\nexport const registration = flow(stray, {});\n`);
    expect(() => discoveredFlowsIndex(dir)).toThrow(`workflows/stray.flow.ts: a flow file's default export is its registration`);
    const other = fixture(`export const flows = defineFlows([]);\n`);
    writeFileSync(join(other, 'workflows/Stray.flow.ts'), 'export default flow(stray, {});\n');
    expect(() => discoveredFlowsIndex(other)).toThrow('workflows/Stray.flow.ts: a flow file is named in kebab-case');
  });

  it('names the flow that is not imported from a file of its own', () => {
    const dir = fixture(`async function local() {}\nexport const flows = defineFlows([flow(local, {})]);\n`);
    expect(() => workflowBundleIndex(dir)).toThrow(`workflows/flows.ts: "local" must be imported from its own file in workflows/`);
  });
});
