/**
 * `npm run new -- …` (scripts/new.mjs): writes an application, a connector or a flow in the
 * repository's layout, with a test beside it that passes against a loopback fake. Nothing is
 * written when a file is in the way or a check fails; after writing, the generated indexes are
 * brought up to date (as `npm run generate` does), so the new files are part of the build at once.
 */
import { parseArgs } from 'node:util';
import { discoveredFlowsIndex, integrationsIndex, workflowBundleIndex, writeGenerated } from '../generate-registries';
import { scaffoldApplication } from './application';
import { scaffoldConnector } from './connector';
import { scaffoldFlow } from './flow';
import { UsageError } from './names';
import { applyPlan, type Plan } from './plan';

export const USAGE = `usage:
  npm run new -- application <name> [--from-openapi <file>] [--base-url https://api.example.com]
  npm run new -- connector <app> <name> [--method GET|POST|PUT|PATCH|DELETE] [--path /items/{id}] [--description "…"]
  npm run new -- flow <name> --trigger webhook|polling [--app <app>] [--connector <name>] [--description "…"]`;

const OPTIONS = {
  'from-openapi': { type: 'string' },
  'base-url': { type: 'string' },
  method: { type: 'string' },
  path: { type: 'string' },
  description: { type: 'string' },
  trigger: { type: 'string' },
  app: { type: 'string' },
  connector: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function planFor(root: string, argv: string[]): Promise<Plan> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const [kind, ...rest] = positionals;
  const only = (count: number) => {
    if (rest.length > count) throw new UsageError(`unexpected ${rest.slice(count).join(' ')}`);
  };
  switch (kind) {
    case 'application':
      only(1);
      if (values['from-openapi']) {
        const { scaffoldFromOpenApi } = await import('./openapi');
        return scaffoldFromOpenApi(root, rest[0], values['from-openapi']);
      }
      return scaffoldApplication(root, rest[0], { baseUrl: values['base-url'] });
    case 'connector':
      only(2);
      return scaffoldConnector(root, rest[0], rest[1], { method: values.method, path: values.path, description: values.description });
    case 'flow':
      only(1);
      return scaffoldFlow(root, rest[0], { trigger: values.trigger, app: values.app, connector: values.connector, description: values.description });
    default:
      throw new UsageError(kind ? `"${kind}" is none of application, connector, flow` : 'what should be written?');
  }
}

export async function main(root: string, argv: string[], out: (line: string) => void = console.log): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) {
    out(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  try {
    const plan = await planFor(root, argv);
    applyPlan(root, plan);
    for (const file of plan.create) out(`  created  ${file.path}`);
    for (const file of plan.change) out(`  changed  ${file.path}`);
    // The indexes read from the sources, as `npm run generate` writes them. The workflows' manifest
    // of rate-limited applications is left to it (the build runs it): nothing scaffolded has a rate limit yet.
    for (const file of [integrationsIndex(root), discoveredFlowsIndex(root), workflowBundleIndex(root)]) if (writeGenerated(root, file)) out(`  generated ${file.path}`);
    out('');
    out('next:');
    for (const line of plan.next) out(`  ${line}`);
    return 0;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    out(`npm run new: ${err.message}`);
    out(USAGE);
    return 2;
  }
}
