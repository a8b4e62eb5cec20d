/**
 * `npm run new` as a user runs it, in a copy of the repository (test/support/project-copy.ts, removed
 * afterwards whatever happens): an application, connectors, a polling and a webhook flow, one on
 * the default application, and an application from an OpenAPI document. What it writes must
 * type-check with the project's settings, pass the linters as written, and its tests (jest, in the
 * copy) must pass against their fakes; a refused scaffold writes nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { copyProject, type ProjectCopy } from '../../test/support/project-copy';

const repository = join(__dirname, '..', '..');
let copy: ProjectCopy;
beforeAll(() => {
  copy = copyProject();
});
afterAll(() => {
  copy?.remove();
});

function scaffold(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [join(copy.root, 'scripts', 'new.mjs'), ...args], { cwd: copy.root, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Every file under the copy's source folders, with its modification time: what a refused scaffold must leave as it was. */
function snapshot(): Map<string, number> {
  const files = new Map<string, number>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(copy.root, path), statSync(path).mtimeMs);
    }
  };
  for (const folder of ['connectors', 'workflows', 'test/vendors']) walk(join(copy.root, folder));
  return files;
}

const created: string[] = [];

describe('npm run new', () => {
  it.each([
    ['application', 'acme-inventory'],
    ['connector', 'acme-inventory', 'create-item', '--method', 'POST', '--path', '/items'],
    ['connector', 'acme-inventory', 'getItem', '--path', '/items/{itemId}'],
    ['flow', 'acme-sync', '--trigger', 'polling', '--app', 'acme-inventory'],
    ['flow', 'acme-item-changed', '--trigger', 'webhook', '--app', 'acme-inventory', '--connector', 'getItem'],
    ['flow', 'crm-contacts-poll', '--trigger', 'polling'],
    ['flow', 'crm-order-received', '--trigger', 'webhook'],
    ['application', 'petstore', '--from-openapi', 'test/data/openapi/petstore-3.0.json'],
  ])('%s %s …', (...args) => {
    const { status, output } = scaffold(...args);
    expect({ status, output }).toMatchObject({ status: 0 });
    const files = [...output.matchAll(/^ {2}created {2}(\S+)$/gm)].map((match) => match[1]!);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(existsSync(join(copy.root, file))).toBe(true);
    created.push(...files);
  });

  it('lists what it wrote in the generated indexes: the application folders and the flow files, no registry edited by hand', () => {
    expect(readFileSync(join(copy.root, 'connectors/integrations.ts'), 'utf8')).toMatch(/import acmeInventory from '\.\/acme-inventory';[\s\S]*import petstore from '\.\/petstore';/);
    expect(readFileSync(join(copy.root, 'connectors/acme-inventory/index.ts'), 'utf8')).toContain('defineIntegration(acmeInventory, { listItems, createItem, getItem })');
    const discovered = readFileSync(join(copy.root, 'workflows/generated/flows.ts'), 'utf8');
    for (const flow of ['acmeItemChangedFlow', 'acmeSyncFlow', 'crmContactsPollFlow', 'crmOrderReceivedFlow']) expect(discovered).toContain(flow);
    const bundle = readFileSync(join(copy.root, 'workflows/index.ts'), 'utf8');
    expect(bundle).toContain("export { acmeSync } from './acme-sync';");
    expect(bundle).toContain("export { crmOrderReceived } from './crm-order-received';");
    // The demo CRM signs nothing: its webhook flow opts in to unsigned deliveries; the new application signs its own.
    expect(readFileSync(join(copy.root, 'workflows/crm-order-received.flow.ts'), 'utf8')).toContain('verification: unsigned()');
    expect(readFileSync(join(copy.root, 'workflows/acme-item-changed.flow.ts'), 'utf8')).not.toContain('unsigned');
    // The working tree itself is untouched.
    for (const path of ['connectors/acme-inventory', 'connectors/petstore', 'workflows/acme-sync.ts']) expect(existsSync(join(repository, path))).toBe(false);
  });

  it('writes files that type-check with the project settings and pass ESLint and Prettier as written', () => {
    const sources = created.filter((file) => file.endsWith('.ts'));
    writeFileSync(join(copy.root, 'tsconfig.scaffolded.json'), JSON.stringify({ extends: './tsconfig.json', include: [], files: [...sources, 'workflows/flows.ts', 'connectors/catalog.ts'] }));
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.scaffolded.json', '--noEmit'], { cwd: copy.root, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const eslint = spawnSync(process.execPath, [join(copy.root, 'node_modules/eslint/bin/eslint.js'), ...sources, 'workflows/generated/flows.ts'], { cwd: copy.root, encoding: 'utf8' });
    expect(eslint.stdout + eslint.stderr).toBe('');
    const prettier = spawnSync(process.execPath, [join(copy.root, 'node_modules/prettier/bin/prettier.cjs'), '--check', ...sources], { cwd: copy.root, encoding: 'utf8' });
    expect({ status: prettier.status, output: prettier.stdout + prettier.stderr }).toMatchObject({ status: 0 });
  }, 180_000);

  it('writes tests that pass against their fakes: connectors through the HTTP layer, flows on TestWorkflowEnvironment', () => {
    const tests = created.filter((file) => file.endsWith('.test.ts'));
    expect(tests).toHaveLength(8);
    const results = join(copy.root, 'jest-results.json');
    const jest = spawnSync(process.execPath, [join(copy.root, 'node_modules/jest/bin/jest.js'), '--runInBand', '--json', `--outputFile=${results}`, ...tests], { cwd: copy.root, encoding: 'utf8' });
    const summary = JSON.parse(readFileSync(results, 'utf8')) as { numFailedTests: number; numPassedTests: number; numTotalTestSuites: number; numFailedTestSuites: number };
    expect({ failedTests: summary.numFailedTests, failedSuites: summary.numFailedTestSuites, output: summary.numFailedTests + summary.numFailedTestSuites > 0 ? jest.stderr : '' }).toEqual({
      failedTests: 0,
      failedSuites: 0,
      output: '',
    });
    expect(summary.numTotalTestSuites).toBe(8);
    // The petstore alone runs one case per connector it could sample an input for.
    expect(summary.numPassedTests).toBeGreaterThan(30);
  }, 300_000);

  it('writes nothing when something is in the way or the command is incomplete, and says why', () => {
    const before = snapshot();
    const refusals: Array<[string[], RegExp]> = [
      [['application', 'acme-inventory'], /connectors\/acme-inventory\/ already exists/],
      [['application', 'framework'], /the engine's own folder/],
      [['connector', 'acme-inventory', 'createItem'], /already exists/],
      [['connector', 'nowhere', 'get-thing'], /no application folder connectors\/nowhere\//],
      [['connector', 'acme-inventory', 'bad-path', '--path', '/items/{item id}'], /--path/],
      [['flow', 'acme-sync', '--trigger', 'polling'], /workflows\/acme-sync\.ts already exists/],
      [['flow', 'another-flow'], /--trigger webhook or --trigger polling/],
      [['flow', 'another-flow', '--trigger', 'polling', '--app', 'acme-inventory', '--connector', 'nothing'], /has no connector "nothing"/],
      [['application', 'from-nowhere', '--from-openapi', 'missing.json'], /no such file/],
    ];
    for (const [args, message] of refusals) {
      const { status, output } = scaffold(...args);
      expect({ args, status, output }).toMatchObject({ status: 2, output: expect.stringMatching(message) });
    }
    expect(snapshot()).toEqual(before);
  });
});
