/**
 * `npm run new -- application <name> --from-openapi <file>`: an application written in code from
 * an OpenAPI (3.0, 3.1) or Swagger 2.0 document, read by the engine's own importer
 * (connectors/openapi): its auth, its server, one connector file per operation with zod input and
 * output, the component schemas they share, a fake that validates requests against the document
 * itself (openapi-backend) and a test running every connector against it. Unlike an import
 * (POST /applications/import), the result is code to read and change like a hand-written
 * application. Operations whose body is multipart, or whose path takes label, matrix or object
 * parameters, are left out and named (the import runs those).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, extname, isAbsolute, resolve } from 'node:path';
import { extractSpec } from '../../connectors/openapi/extract';
import { jsonSchemaValidator } from '../../connectors/openapi/json-schema';
import { loadOpenApiDocument } from '../../connectors/openapi/load-document';
import type { ImportedAction, ImportedAuth, ImportedParameter, ImportedSpec } from '../../connectors/openapi/spec';
import { actionInputSchema } from '../../connectors/openapi/to-runtime';
import { newApplicationName } from './application';
import { camelCase, kebabCase, pascalCase, UsageError } from './names';
import type { Plan, PlannedFile } from './plan';
import { formatted, literal, quoted, render } from './render';
import { sample } from './samples';
import { access, propertyKey, ZodSourceWriter } from './zod-source';

const TOKEN_MARKER = '__TOKEN__';
/** Connector files may not take the names of the folder's other files. */
const TAKEN_FILES = new Set(['application', 'index', 'schemas']);

interface AuthCode {
  imports: string[];
  credentials: string;
  auth: string;
  /** Test channel credentials, TOKEN_MARKER standing for the fake's TOKEN. */
  testCredentials: Record<string, string>;
  /** The fake's check, over `request`. */
  authorized: string;
  oauth: boolean;
  hosts: string[];
}

function authCode(auth: ImportedAuth): AuthCode {
  const secretImport = "import { secret } from '../../applications/framework/secret';";
  switch (auth.kind) {
    case 'none':
      return { imports: [], credentials: 'z.object({})', auth: "{ kind: 'none' }", testCredentials: {}, authorized: 'true', oauth: false, hosts: [] };
    case 'api-key': {
      const name = auth.in === 'header' ? auth.name.toLowerCase() : auth.name;
      return {
        imports: [secretImport],
        credentials: `z.object({ apiKey: secret('API key, sent as ${auth.in} ${quoted(auth.name)}') })`,
        auth: `{ kind: 'api-key', in: '${auth.in}', name: '${quoted(auth.name)}', key: (credentials) => credentials.apiKey }`,
        testCredentials: { apiKey: TOKEN_MARKER },
        authorized: `request.${auth.in === 'header' ? 'headers' : 'query'}['${quoted(name)}'] === TOKEN`,
        oauth: false,
        hosts: [],
      };
    }
    case 'basic':
      return {
        imports: [secretImport],
        credentials: "z.object({ username: z.string().min(1), password: secret('Password') })",
        auth: "{ kind: 'basic', username: (credentials) => credentials.username, password: (credentials) => credentials.password }",
        testCredentials: { username: 'test-user', password: TOKEN_MARKER },
        authorized: "request.headers.authorization === `Basic ${Buffer.from(`test-user:${TOKEN}`).toString('base64')}`",
        oauth: false,
        hosts: [],
      };
    case 'bearer':
      return {
        imports: [secretImport],
        credentials: "z.object({ token: secret('Bearer token') })",
        auth: "{ kind: 'bearer', token: (credentials) => credentials.token }",
        testCredentials: { token: TOKEN_MARKER },
        authorized: 'request.headers.authorization === `Bearer ${TOKEN}`',
        oauth: false,
        hosts: [],
      };
    case 'oauth2-authorization-code':
    case 'oauth2-client-credentials': {
      const endpoints = {
        issuer: new URL(auth.tokenUrl).origin,
        tokenUrl: auth.tokenUrl,
        ...(auth.kind === 'oauth2-authorization-code' ? { authorizationUrl: auth.authorizationUrl } : { authorizationUrl: auth.tokenUrl }),
      };
      return {
        imports: ["import { oauthClientCredentials } from '../../applications/framework/oauth-client';"],
        credentials: 'oauthClientCredentials()',
        auth: `{ kind: '${auth.kind}', endpoints: () => (${literal(endpoints)}), client: (credentials) => ({ clientId: credentials.clientId, clientSecret: credentials.clientSecret }), scopes: ${literal(auth.scopes)} }`,
        testCredentials: { clientId: 'test-client', clientSecret: TOKEN_MARKER },
        authorized: "request.headers.authorization === 'Bearer test-access-token'",
        oauth: true,
        hosts: [new URL(auth.tokenUrl).hostname, ...(auth.kind === 'oauth2-authorization-code' && URL.canParse(auth.authorizationUrl) ? [new URL(auth.authorizationUrl).hostname] : [])],
      };
    }
  }
}

/** A value sent in a path segment or a header: primitives as text, arrays joined (OpenAPI's `simple` style). */
function textOf(expression: string, schema: unknown): string {
  const type = (schema as { type?: unknown } | undefined)?.type;
  return type === 'array' ? `${expression}.join(',')` : `String(${expression})`;
}

function isPrimitiveQuery(schema: unknown): boolean {
  const node = schema as { type?: unknown; items?: { type?: unknown } } | undefined;
  const primitive = (type: unknown) => type === 'string' || type === 'integer' || type === 'number' || type === 'boolean';
  return primitive(node?.type) || (node?.type === 'array' && primitive(node.items?.type));
}

interface ConnectorCode {
  action: ImportedAction;
  file: string;
  camel: string;
  values: Record<string, string>;
}

function connectorCode(action: ImportedAction, file: string, appExport: string, writer: ZodSourceWriter): ConnectorCode {
  const param = (p: ImportedParameter) => access('input', p.name);
  const fields = action.parameters.map((p) => `${propertyKey(p.name)}: ${writer.expression(p.schema)}${p.required ? '' : '.optional()'}`);
  if (action.body) fields.push(`body: ${writer.expression(action.body.schema)}${action.body.required ? '' : '.optional()'}`);
  const output = action.output === undefined ? 'z.unknown()' : writer.expression(action.output);
  const path = action.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const p = action.parameters.find((candidate) => candidate.in === 'path' && candidate.name === name);
    return p ? `\${encodeURIComponent(${textOf(param(p), p.schema)})}` : `{${name}}`;
  });
  const query = action.parameters.filter((p) => p.in === 'query');
  const styles = query.filter((p) => p.style !== undefined && !(p.style === 'form' && p.explode !== false) && ['form', 'spaceDelimited', 'pipeDelimited', 'deepObject'].includes(p.style));
  const headers = action.parameters.filter((p) => p.in === 'header');
  const needsQueryValue = query.some((p) => !isPrimitiveQuery(p.schema));
  const queryPart =
    query.length === 0
      ? ''
      : `, query: { ${query.map((p) => `${propertyKey(p.name)}: ${param(p)}${isPrimitiveQuery(p.schema) ? '' : ' as QueryValue'}`).join(', ')} }` +
        (styles.length > 0 ? `, queryStyles: { ${styles.map((p) => `${propertyKey(p.name)}: { style: '${p.style}', explode: ${p.explode ?? p.style === 'form'} }`).join(', ')} }` : '');
  const headerPart =
    headers.length === 0
      ? ''
      : `, headers: { ${headers
          .map((p) =>
            p.required
              ? `${propertyKey(p.name.toLowerCase())}: ${textOf(param(p), p.schema)}`
              : `...(${param(p)} === undefined ? {} : { ${propertyKey(p.name.toLowerCase())}: ${textOf(param(p), p.schema)} })`,
          )
          .join(', ')} }`;
  const form = action.body?.contentType === 'application/x-www-form-urlencoded';
  const bodyPart = action.body ? (form ? `, body: input.body === undefined ? undefined : form(input.body)` : ', body: input.body') : '';
  const imports = [...(needsQueryValue ? ["import type { QueryValue } from '../framework/http/query';"] : []), ...(form ? ["import { form } from '../framework/http/body';"] : [])];
  // Only the schemas its own code names: the ones those name are schemas.ts's business.
  const used = writer.used().filter((name) => fields.concat(output).some((code) => new RegExp(`\\b${name}\\b`).test(code)));
  if (used.length > 0) imports.push(`import { ${used.join(', ')} } from './schemas';`);
  const camel = action.name;
  const summary = action.summary ? `: ${action.summary.replace(/\*\//g, '*\\/')}` : '';
  return {
    action,
    file,
    camel,
    values: {
      imports: imports.map((line) => `\n${line}`).join(''),
      appExport,
      camel,
      method: action.method,
      path: action.path.replace(/\*\//g, '*\\/'),
      summary,
      description: quoted(action.summary ?? `${action.method} ${action.path}`),
      inputFields: fields.join(', '),
      inputBinding: fields.length > 0 ? 'input' : '',
      output,
      pathExpression: path.includes('${') ? `\`${path.replace(/`/g, '\\`')}\`` : `'${quoted(path)}'`,
      query: queryPart,
      headers: headerPart,
      body: bodyPart,
    },
  };
}

function absoluteServer(spec: ImportedSpec): URL | undefined {
  const server = spec.servers.find((url) => /^https?:\/\//.test(url) && !url.includes('{'));
  return server ? new URL(server) : undefined;
}

export async function scaffoldFromOpenApi(root: string, given: string | undefined, documentPath: string): Promise<Plan> {
  const file = isAbsolute(documentPath) ? documentPath : resolve(process.env.INIT_CWD ?? process.cwd(), documentPath);
  if (!existsSync(file)) throw new UsageError(`--from-openapi ${documentPath}: no such file`);
  const text = readFileSync(file, 'utf8');
  let loaded;
  try {
    loaded = await loadOpenApiDocument(text);
  } catch (err) {
    throw new UsageError(`--from-openapi ${documentPath}: ${(err as Error).message}`);
  }
  const name = newApplicationName(root, given ?? kebabCase(String(loaded.doc.info?.title ?? '')));
  const spec = extractSpec(loaded.doc, name, 1);
  const camel = camelCase(name);
  const server = absoluteServer(spec);
  const auth = authCode(spec.auth);
  const hosts = [...new Set([...(server ? [server.hostname] : []), ...auth.hosts, 'localhost', '127.0.0.1'])];
  const documentRoot = { components: spec.components };
  const writer = new ZodSourceWriter(documentRoot);

  const skipped: string[] = [];
  const taken = new Set<string>(TAKEN_FILES);
  const connectors: ConnectorCode[] = [];
  for (const action of spec.actions) {
    if (action.body?.contentType.startsWith('multipart/')) {
      skipped.push(`${action.name} (${action.method} ${action.path}): a multipart body`);
      continue;
    }
    const unusualPath = action.parameters.find((p) => p.in === 'path' && ((p.style ?? 'simple') !== 'simple' || (p.schema as { type?: unknown } | undefined)?.type === 'object'));
    if (unusualPath) {
      skipped.push(
        `${action.name} (${action.method} ${action.path}): path parameter ${unusualPath.name} is ${unusualPath.style ?? 'simple'}-style ${String((unusualPath.schema as { type?: unknown }).type)}`,
      );
      continue;
    }
    let base = kebabCase(action.name);
    while (taken.has(base)) base = `${base}-action`;
    taken.add(base);
    connectors.push(connectorCode(action, base, camel, writer));
  }
  if (connectors.length === 0) throw new UsageError(`--from-openapi ${documentPath}: no operation to write a connector for${skipped.length ? ` (left out: ${skipped.join('; ')})` : ''}`);

  // The test's cases: the smallest input the document allows, checked by the importer's own validator.
  const cases: Array<[string, string, unknown]> = [];
  for (const { action } of connectors) {
    const input = sample(actionInputSchema(action), { root: documentRoot });
    if (jsonSchemaValidator(actionInputSchema(action), spec.components, spec.dialect).safeParse(input).success) cases.push([action.name, `${action.method} ${action.path}`, input]);
    else skipped.push(`${action.name}: not in the test, no sample input passes its schema (add a case by hand)`);
  }

  const documentFile = `openapi${extname(file) || '.json'}`;
  const documentText = loaded.convertedFrom ? JSON.stringify(loaded.doc, null, 2) : text;
  const values = {
    name,
    camel,
    pascal: pascalCase(name),
    title: quoted(spec.title),
    titleText: quoted(spec.title),
    document: basename(file) + (loaded.convertedFrom ? ', converted from Swagger 2.0' : ''),
    documentFile: loaded.convertedFrom ? 'openapi.json' : documentFile,
    authKind: spec.auth.kind,
    imports: auth.imports.map((line) => `\n${line}`).join(''),
    baseUrlSchema: server
      ? `z.url().default('${quoted(server.toString().replace(/\/+$/, ''))}').describe('Base URL; the server the document names unless a proxy or a test stands in')`
      : `z.url().describe('Base URL of the ${quoted(spec.title)} API (the document names no absolute server; TODO: add its host to allowedHosts)')`,
    credentials: auth.credentials,
    allowedHosts: literal(hosts),
    auth: auth.auth,
    connectors: connectors.map((connector) => connector.camel).join(', '),
    cases: literal(cases),
    accessTokens: auth.oauth ? ", accessTokens: { get: async () => 'test-access-token', afterUnauthorized: async () => 'test-access-token' }" : '',
    authorized: auth.authorized,
  };
  const testValues = { ...values, credentials: literal(auth.testCredentials, { [TOKEN_MARKER]: 'TOKEN' }) };
  const folder = `connectors/${name}`;
  const create: PlannedFile[] = [
    await render(root, `${folder}/application.ts`, 'openapi/application.ts.tmpl', values),
    ...(await Promise.all(connectors.map((connector) => render(root, `${folder}/${connector.file}.ts`, 'openapi/connector.ts.tmpl', connector.values)))),
    await render(root, `${folder}/index.ts`, 'openapi/index.ts.tmpl', { ...values, imports: connectors.map((c) => `import { ${c.camel} } from './${c.file}';`).join('\n') }),
    await render(root, `test/vendors/${name}/fake-${name}.ts`, 'openapi/fake.ts.tmpl', values),
    await render(root, `test/vendors/${name}/${name}.test.ts`, 'openapi/test.ts.tmpl', testValues),
    { path: `test/vendors/${name}/${values.documentFile}`, content: documentText },
  ];
  if (writer.used().length > 0) {
    const header = `/** The component schemas of ${quoted(spec.title)}'s OpenAPI document that its connectors use. */`;
    create.splice(1, 0, { path: `${folder}/schemas.ts`, content: await formatted(root, `${folder}/schemas.ts`, writer.schemasModule(header)) });
  }
  return {
    create,
    change: [],
    next: [
      `${folder}/: ${connectors.length} connectors, one per operation; ${folder}/application.ts has the auth (${spec.auth.kind}) and the hosts credentials may go to`,
      ...skipped.map((line) => `left out: ${line}`),
      ...spec.unsupported.slice(0, 10).map((issue) => `the document's ${issue.location}: ${issue.message}`),
      `npx jest test/vendors/${name}   runs every connector against a fake that checks requests against the document`,
    ],
  };
}
