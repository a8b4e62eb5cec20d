/**
 * The flows' workflow bundle, built once by `npm run build` (./build-workflow-bundle.ts) instead of
 * by webpack in every worker process at start: about a second of CPU and the bundler's memory
 * (a worker's RSS at its first task) saved per process, the API's worker (API_WORKER) included.
 *
 * A bundle is used only while it matches the code: next to it is the hash of every file webpack
 * put in it (the flows, what they import, the SDK's workflow runtime). A rebuild of dist/ without a
 * new bundle (`npm run dev`'s incremental compile, a bare `tsc`) changes a hash, and the worker
 * bundles at start as before: a stale bundle never runs.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { bundleWorkflowCode, type WorkerOptions } from '@temporalio/worker';
import { projectRoot } from '../runtime/temporal-cli';

/** What the flows' worker bundles: the flows and the interceptor that carries the API's request id. */
export const workflowSources = {
  workflowsPath: require.resolve('../workflows'),
  workflowInterceptorModules: [require.resolve('../workflows/framework/request-id-interceptors')],
};

/** Where `npm run build` puts it; tests build into a folder of their own. */
export const defaultBundleDir = join(projectRoot, 'dist', 'workflow-bundle');
const codePathIn = (dir: string) => join(dir, 'bundle.js');
const inputsPathIn = (dir: string) => join(dir, 'inputs.json');

interface BundleInputs {
  /** What it was bundled from: dist/'s JavaScript. A process that runs the TypeScript sources (jest) bundles those. */
  workflowsPath: string;
  /** Each file in it (from the project root) and its sha256. */
  files: Record<string, string>;
}

const hashOf = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The files webpack put in the bundle, as it names them (paths from the project root). */
export function bundledFiles(code: string): string[] {
  return [...new Set([...code.matchAll(/^\/\*\*\*\/ "(\.\/[^"\n]+)"$/gm)].map((match) => match[1]!))];
}

export async function buildWorkflowBundle(dir = defaultBundleDir): Promise<{ codePath: string; files: number }> {
  const codePath = codePathIn(dir);
  const { code } = await bundleWorkflowCode({ ...workflowSources, logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } });
  const files = bundledFiles(code);
  if (files.length === 0) throw new Error('the workflow bundle names no files: its module ids are not paths (webpack mode changed?)');
  const inputs: BundleInputs = { workflowsPath: relative(projectRoot, workflowSources.workflowsPath), files: Object.fromEntries(files.map((file) => [file, hashOf(resolve(projectRoot, file))])) };
  mkdirSync(dirname(codePath), { recursive: true });
  writeFileSync(codePath, code);
  writeFileSync(inputsPathIn(dir), `${JSON.stringify(inputs, null, 1)}\n`);
  return { codePath, files: files.length };
}

/** The built bundle while every file in it is as it was built; undefined otherwise (bundle at start). */
export function prebuiltWorkflowBundle(dir = defaultBundleDir): { codePath: string } | undefined {
  const codePath = codePathIn(dir);
  const inputsPath = inputsPathIn(dir);
  if (!existsSync(codePath) || !existsSync(inputsPath)) return undefined;
  const inputs = JSON.parse(readFileSync(inputsPath, 'utf8')) as BundleInputs;
  if (inputs.workflowsPath !== relative(projectRoot, workflowSources.workflowsPath)) return undefined;
  for (const [file, hash] of Object.entries(inputs.files)) {
    const path = resolve(projectRoot, file);
    if (!existsSync(path) || hashOf(path) !== hash) return undefined;
  }
  return { codePath };
}

/**
 * How a Worker gets its flows: the prebuilt bundle when it is current and no plugin needs to add
 * to the bundle (tracing's OpenTelemetry plugin adds its workflow interceptors), else the sources.
 */
export function workflowCodeOptions(withPlugins: boolean, dir = defaultBundleDir): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'interceptors'> {
  const prebuilt = withPlugins ? undefined : prebuiltWorkflowBundle(dir);
  if (prebuilt) return { workflowBundle: prebuilt };
  return { workflowsPath: workflowSources.workflowsPath, interceptors: { workflowModules: workflowSources.workflowInterceptorModules } };
}
