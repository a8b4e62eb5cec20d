/**
 * The workflow bundle, built as the worker builds it, holds only workflow-safe code: the lint rule
 * (eslint.config.mjs) catches a forbidden import in a workflow file, this catches one that arrives
 * through any chain of imports.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { bundledFiles } from '../worker/workflow-bundle';

/** Modules that must never reach Temporal's workflow sandbox. */
const FORBIDDEN = [
  /node_modules\/zod\//,
  /node_modules\/axios\//,
  /node_modules\/(pg|better-sqlite3|kysely|pino|oauth4webapi|@nestjs)\//,
  /\/connectors\/framework\/(http|execute)/,
  /\/connectors\/demo-[a-z]+\/(?!schemas)/,
  /\/(activities|store|api|channels|runtime)\//,
];

it('bundles the flows without zod, HTTP code, connector runtime or anything of the worker and API', async () => {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} } as never });
  // Webpack names every module it bundled by its path; those are what the sandbox will load.
  const modules = bundledFiles(code);
  expect(modules.some((path) => path.includes('workflows/order-placed'))).toBe(true);
  const forbidden = modules.filter((path) => FORBIDDEN.some((pattern) => pattern.test(path.replace(/^\./, ''))));
  expect(forbidden).toEqual([]);
}, 120_000);
