/**
 * The prebuilt workflow bundle: built as `npm run build` builds it (here from the TypeScript
 * sources, into a folder of its own), used only while every file in it is unchanged.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWorkflowBundle, prebuiltWorkflowBundle, workflowCodeOptions } from './workflow-bundle';

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'workflow-bundle-'));
  await buildWorkflowBundle(dir);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const inputsFile = () => join(dir, 'inputs.json');
const inputs = () => JSON.parse(readFileSync(inputsFile(), 'utf8')) as { workflowsPath: string; files: Record<string, string> };

/** Runs `change` on a copy of the inputs, checks the bundle, puts the inputs back. */
function withInputs(change: (current: ReturnType<typeof inputs>) => void): ReturnType<typeof prebuiltWorkflowBundle> {
  const saved = join(dir, 'inputs.saved.json');
  copyFileSync(inputsFile(), saved);
  try {
    const current = inputs();
    change(current);
    writeFileSync(inputsFile(), JSON.stringify(current));
    return prebuiltWorkflowBundle(dir);
  } finally {
    copyFileSync(saved, inputsFile());
  }
}

it('names every file webpack put in it with its hash: the flows, their framework, the SDK runtime', () => {
  const files = Object.keys(inputs().files);
  expect(files).toEqual(expect.arrayContaining(['./workflows/index.ts', './workflows/order-placed.ts', './workflows/framework/request-id-interceptors.ts']));
  expect(files.some((file) => file.startsWith('./node_modules/@temporalio/workflow/'))).toBe(true);
  expect(Object.values(inputs().files).every((hash) => /^[0-9a-f]{64}$/.test(hash))).toBe(true);
});

it('is used while every file is as it was built', () => {
  expect(prebuiltWorkflowBundle(dir)).toEqual({ codePath: join(dir, 'bundle.js') });
});

it('is not used once a file in it has changed, or is gone', () => {
  expect(withInputs((current) => (current.files['./workflows/order-placed.ts'] = '0'.repeat(64)))).toBeUndefined();
  expect(withInputs((current) => (current.files['./workflows/no-longer-here.ts'] = '0'.repeat(64)))).toBeUndefined();
  expect(prebuiltWorkflowBundle(dir)).toBeDefined();
});

it('is not used by a process that runs other code than it was built from (dist/ against the sources)', () => {
  expect(withInputs((current) => (current.workflowsPath = 'dist/workflows/index.js'))).toBeUndefined();
});

it('is what a worker without plugins gets; one with plugins (they add modules to the bundle), or with none built, bundles the sources', () => {
  expect(workflowCodeOptions(false, dir)).toEqual({ workflowBundle: { codePath: join(dir, 'bundle.js') } });
  const fromSources = { workflowsPath: require.resolve('../workflows'), interceptors: { workflowModules: [require.resolve('../workflows/framework/request-id-interceptors')] } };
  expect(workflowCodeOptions(true, dir)).toEqual(fromSources);
  expect(workflowCodeOptions(false, join(dir, 'missing'))).toEqual(fromSources);
});
