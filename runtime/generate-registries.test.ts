import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { rateLimitedIntegrations } from '../connectors/catalog';
import { committedRateLimitedGroups } from '../connectors/openapi/committed';
import { connectorManifest, integrationsIndex, workflowBundleIndex, type GeneratedFile } from './generate-registries';

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

  it('names the flow that is not imported from a file of its own', () => {
    const dir = fixture(`async function local() {}\nexport const flows = defineFlows([flow(local, {})]);\n`);
    expect(() => workflowBundleIndex(dir)).toThrow(`workflows/flows.ts: "local" must be imported from its own file in workflows/`);
  });
});
