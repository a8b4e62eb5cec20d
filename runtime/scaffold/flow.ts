/**
 * `npm run new -- flow <name> --trigger webhook|polling [--app <app>] [--connector <name>]`: the
 * workflow, its registration (`workflows/<name>.flow.ts`, found by `npm run generate`: no list to
 * edit), the webhook body's schema, and a test on TestWorkflowEnvironment against a fake.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Connector } from '../../connectors/framework/connector';
import { callSample, channelSample, FAKE_URL, loadApplication, type LoadedApplication } from './inspect';
import { camelCase, checkName, pascalCase, titleCase, UsageError } from './names';
import type { Plan } from './plan';
import { literal, quoted, render } from './render';

/** The application a flow serves when `--app` is not given: the demo CRM, which every clone has. */
export const DEFAULT_FLOW_APPLICATION = 'demo-crm';
/** As MAX_PAGES in the polling template. */
const MAX_PAGES = 10;

export interface FlowOptions {
  trigger?: string;
  app?: string;
  connector?: string;
  description?: string;
}

/** The one named, else the first that reads (GET), paginated ones first. */
function chooseConnector(app: LoadedApplication, given: string | undefined): [string, Connector] {
  const entries = Object.entries(app.integration.connectors);
  if (given) {
    const found = entries.find(([name]) => name === given || name === camelCase(given));
    if (!found) throw new UsageError(`${app.application.name} has no connector "${given}"; it has ${entries.map(([name]) => name).join(', ')}`);
    return found;
  }
  const reads = (connector: Connector) => {
    try {
      return connector.request(connector.input.parse({})).method === 'GET';
    } catch {
      return false;
    }
  };
  const chosen = entries.find(([, c]) => c.paginator && reads(c)) ?? entries.find(([, c]) => reads(c)) ?? entries[0];
  if (!chosen) throw new UsageError(`${app.application.name} has no connectors yet: npm run new -- connector ${app.folder} <name>`);
  return chosen;
}

export async function scaffoldFlow(root: string, given: string | undefined, options: FlowOptions): Promise<Plan> {
  const fileName = checkName('flow', given);
  const trigger = options.trigger;
  if (trigger !== 'webhook' && trigger !== 'polling') throw new UsageError('--trigger webhook or --trigger polling: what starts the flow');
  const flowName = camelCase(fileName);
  for (const suffix of ['.ts', '.flow.ts', '.test.ts']) if (existsSync(join(root, 'workflows', `${fileName}${suffix}`))) throw new UsageError(`workflows/${fileName}${suffix} already exists`);
  const app = loadApplication(root, checkName('application', options.app ?? DEFAULT_FLOW_APPLICATION));
  const [connectorName, connector] = chooseConnector(app, options.connector);
  const channel = channelSample(app.application);
  const call = callSample(`${app.integration.key}.${connectorName}`, connector, channel.pathPrefix);
  const webhookPath = `${app.folder}/${fileName}`;
  const signed = app.application.webhooks !== undefined;
  const values = {
    flow: flowName,
    fileName,
    pascal: pascalCase(fileName),
    camel: flowName,
    app: app.folder,
    appExport: app.exportName,
    appKey: app.integration.key,
    connector: connectorName,
    description: quoted(options.description ?? `${titleCase(fileName)}: TODO, what it does`),
    webhookPath,
    verification: signed ? '' : ', verification: unsigned()',
    verificationImport: signed ? '' : "\nimport { unsigned } from './framework/webhook-verification';",
    input: literal(call.input),
    method: call.method,
    fakePath: call.path,
    answer: literal(call.output),
    settings: literal(channel.settings, { [FAKE_URL]: 'fake.url' }),
    credentials: literal(channel.credentials),
    accessToken: channel.oauth ? ", accessToken: 'test-access-token'" : '',
    pages: String(call.hasNextPage ? MAX_PAGES : 1),
  };
  const files: Array<[string, string]> = [
    [`workflows/${fileName}.ts`, `flow/${trigger}.ts.tmpl`],
    [`workflows/${fileName}.flow.ts`, `flow/${trigger}.flow.ts.tmpl`],
    ...(trigger === 'webhook' ? ([[`workflows/${fileName}.schema.ts`, 'flow/webhook.schema.ts.tmpl']] as Array<[string, string]>) : []),
    [`workflows/${fileName}.test.ts`, `flow/${trigger}.test.ts.tmpl`],
  ];
  return {
    create: await Promise.all(files.map(([path, template]) => render(root, path, template, values))),
    change: [],
    next: [
      `workflows/${fileName}.ts: what the flow does (it calls ${app.integration.key}.${connectorName} now)`,
      `npx jest workflows/${fileName}.test.ts   runs its test`,
      trigger === 'webhook'
        ? `POST /webhooks/${webhookPath}/<channel id> starts it${signed ? ` (signed as ${app.application.name} signs)` : " (unsigned: add the vendor's signature to the application)"}; npm run dryrun -- flow ${flowName} --channel <id> runs it once`
        : `npm run dryrun -- flow ${flowName} --channel <id> runs it once; the schedule runs it every 5 minutes per channel`,
    ],
  };
}
