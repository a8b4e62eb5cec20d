/** `npm run new -- connector <app> <name>`: one endpoint's file, listed in the application's index.ts, and its test. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { channelSample, FAKE_URL, loadApplication } from './inspect';
import { camelCase, checkName, titleCase, UsageError } from './names';
import { read, withConnectorListed, type Plan } from './plan';
import { formatted, literal, quoted, render } from './render';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];
const WRITES = new Set<Method>(['POST', 'PUT', 'PATCH']);

export interface ConnectorOptions {
  method?: string;
  path?: string;
  description?: string;
}

function methodOf(given: string | undefined): Method {
  const method = (given ?? 'GET').toUpperCase();
  if (!(METHODS as readonly string[]).includes(method)) throw new UsageError(`--method ${given}: one of ${METHODS.join(', ')}`);
  return method as Method;
}

/** `/items/{itemId}/notes` → its parameters, checked to be names a TypeScript object can destructure. */
function pathParameters(path: string): string[] {
  if (!/^\/[A-Za-z0-9\-._~/{}]*$/.test(path)) throw new UsageError(`--path ${path}: a path below the base URL, e.g. /items/{itemId}`);
  const names = [...path.matchAll(/\{([^}]*)\}/g)].map((match) => match[1]!);
  for (const name of names) if (!/^[a-z][A-Za-z0-9]*$/.test(name)) throw new UsageError(`--path ${path}: parameter {${name}} must be camelCase`);
  if (new Set(names).size !== names.length) throw new UsageError(`--path ${path}: a parameter appears twice`);
  return names;
}

export async function scaffoldConnector(root: string, appGiven: string | undefined, nameGiven: string | undefined, options: ConnectorOptions): Promise<Plan> {
  const app = loadApplication(root, checkName('application', appGiven));
  const kebab = checkName('connector', nameGiven);
  const camel = camelCase(kebab);
  const file = `connectors/${app.folder}/${kebab}.ts`;
  if (existsSync(join(root, file))) throw new UsageError(`${file} already exists`);
  if (Object.hasOwn(app.integration.connectors, camel)) throw new UsageError(`${app.application.name} already has a connector named ${camel}`);
  const method = methodOf(options.method);
  const path = options.path ?? (method === 'POST' ? `/${kebab}` : `/${kebab}/{id}`);
  const parameters = pathParameters(path);
  const write = WRITES.has(method) && !parameters.includes('name');
  const fields = [...parameters.map((name) => `${name}: z.string().min(1)`), ...(write ? ["name: z.string().min(1).describe('TODO: what the body carries')"] : [])];
  const bound = [...parameters, ...(write ? ['name'] : [])];
  const input: Record<string, string> = Object.fromEntries([...parameters.map((name) => [name, `${name}-1`]), ...(write ? [['name', 'Example']] : [])]);
  const requestPath = path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(input[name]!));
  const channel = channelSample(app.application);
  const answer = { id: `${kebab}-1` };
  const values = {
    app: app.folder,
    appExport: app.exportName,
    camel,
    kebab,
    method,
    path,
    description: quoted(options.description ?? titleCase(kebab)),
    inputFields: fields.join(', '),
    inputBinding: bound.length > 0 ? `{ ${bound.join(', ')} }` : '',
    pathExpression: parameters.length > 0 ? `\`${path.replace(/\{([^}]+)\}/g, (_, name: string) => `\${encodeURIComponent(${name})}`)}\`` : `'${path}'`,
    bodyProperty: write ? ', body: { name }' : '',
    settings: literal(channel.settings, { [FAKE_URL]: 'fake.url' }),
    credentials: literal(channel.credentials),
    accessTokens: channel.oauth ? ", accessTokens: { get: async () => 'test-access-token', afterUnauthorized: async () => 'test-access-token' }" : '',
    status: method === 'POST' ? '201' : '200',
    answer: literal(answer),
    input: literal(input),
    fakePath: `${channel.pathPrefix}${requestPath}`,
    requestPath: `${channel.pathPrefix}${requestPath}`,
    bodyExpectation: write ? ", body: { name: 'Example' }" : '',
  };
  const index = `connectors/${app.folder}/index.ts`;
  return {
    create: [await render(root, file, 'connector/connector.ts.tmpl', values), await render(root, `test/vendors/${app.folder}/${kebab}.test.ts`, 'connector/test.ts.tmpl', values)],
    change: [{ path: index, content: await formatted(root, index, withConnectorListed(index, read(root, index), camel, `./${kebab}`)) }],
    next: [
      `${file}: the endpoint's input, output and request (flows call it as ${app.integration.key}.${camel})`,
      `npx jest test/vendors/${app.folder}/${kebab}.test.ts   runs its test`,
      `npm run dryrun -- ${app.folder}.${camel} --channel <channel id> --input '${JSON.stringify(input)}'   tries it against the real service`,
    ],
  };
}
