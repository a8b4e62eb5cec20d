/**
 * Turns a validated OpenAPI document into an ImportedSpec: one action per path operation, its
 * input (path, query and header parameters, JSON body), its output (the success response schema),
 * the document's security scheme as our auth kind, and `servers` as the default base URL.
 */
import type { OpenApiDocument } from './load-document';
import type { ImportedAction, ImportedAuth, ImportedParameter, ImportedSpec, ImportIssue, ParameterLocation } from './spec';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const SUPPORTED_METHODS = new Set(['get', 'put', 'post', 'delete', 'head', 'patch']);

type Json = Record<string, unknown>;

/** Follows `#/…` references inside the document (parameters, bodies, responses; schemas keep theirs). */
function deref(doc: Json, value: unknown, seen = new Set<string>()): Json {
  let current = value as Json;
  while (current && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (seen.has(ref)) break;
    seen.add(ref);
    current = ref
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, key) => (node as Json | undefined)?.[decodeURIComponent(key)], doc) as Json;
  }
  return current ?? {};
}

export function actionName(method: string, path: string, operationId: string | undefined): string {
  const words = (operationId ?? `${method} ${path.replace(/\{([^}]+)\}/g, 'by $1')}`).split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = words.map((word, i) => (i === 0 ? word.charAt(0).toLowerCase() + word.slice(1) : word.charAt(0).toUpperCase() + word.slice(1))).join('');
  return /^[a-z]/.test(name) ? name : `op${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}

function jsonContent(content: unknown): { contentType: string; schema: unknown } | undefined {
  if (!content || typeof content !== 'object') return undefined;
  const entries = Object.entries(content as Record<string, { schema?: unknown }>);
  const json = entries.find(([type]) => /^application\/(.+\+)?json\b/i.test(type)) ?? entries.find(([type]) => type === '*/*');
  return json ? { contentType: json[0] === '*/*' ? 'application/json' : json[0], schema: json[1].schema ?? {} } : undefined;
}

/** One scheme as our auth kind, or undefined when we have no equivalent (e.g. OAuth implicit, OpenID Connect, cookies). */
function authOf(scheme: Json, scopes: string[]): ImportedAuth | undefined {
  switch (scheme.type) {
    case 'apiKey':
      return scheme.in === 'header' || scheme.in === 'query' ? { kind: 'api-key', in: scheme.in, name: String(scheme.name) } : undefined;
    case 'http':
      if (String(scheme.scheme).toLowerCase() === 'basic') return { kind: 'basic' };
      return String(scheme.scheme).toLowerCase() === 'bearer' ? { kind: 'bearer' } : undefined;
    case 'oauth2': {
      const flows = (scheme.flows ?? {}) as Record<string, Json>;
      if (flows.authorizationCode) return { kind: 'oauth2-authorization-code', authorizationUrl: String(flows.authorizationCode.authorizationUrl), tokenUrl: String(flows.authorizationCode.tokenUrl), scopes };
      if (flows.clientCredentials) return { kind: 'oauth2-client-credentials', tokenUrl: String(flows.clientCredentials.tokenUrl), scopes };
      return undefined;
    }
  }
  return undefined;
}

/**
 * The application's auth: the first scheme we support, looking at the document-wide security
 * requirement first, then at the schemes operations use, then at every declared scheme.
 */
function mapAuth(doc: Json, unsupported: ImportIssue[]): ImportedAuth {
  const schemes = ((doc.components as Json | undefined)?.securitySchemes ?? {}) as Record<string, Json>;
  const requirements = [
    ...((doc.security as Array<Record<string, string[]>> | undefined) ?? []),
    ...Object.values((doc.paths ?? {}) as Record<string, Json>).flatMap((item) => Object.values(item ?? {}).flatMap((op) => ((op as Json)?.security as Array<Record<string, string[]>> | undefined) ?? [])),
    ...Object.keys(schemes).map((name) => ({ [name]: [] as string[] })),
  ];
  const rejected = new Set<string>();
  let chosen: ImportedAuth | undefined;
  for (const requirement of requirements) {
    for (const [name, scopes] of Object.entries(requirement)) {
      const auth = schemes[name] && authOf(deref(doc, schemes[name]), scopes);
      if (auth) chosen ??= auth;
      else rejected.add(name);
    }
  }
  for (const name of rejected) {
    const scheme = deref(doc, schemes[name]);
    unsupported.push({ location: `components.securitySchemes.${name}`, message: `security scheme ${String(scheme.type)}${scheme.in ? ` in ${String(scheme.in)}` : ''} is not supported${chosen ? `; channels use ${chosen.kind}` : ''}` });
  }
  if (chosen) return chosen;
  return { kind: 'none' };
}

export function extractSpec(doc: OpenApiDocument, slug: string, version: number): ImportedSpec {
  const root = doc as unknown as Json;
  const unsupported: ImportIssue[] = [];
  const actions: ImportedAction[] = [];
  const taken = new Map<string, number>();

  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = deref(root, rawItem);
    const shared = (item.parameters as unknown[] | undefined) ?? [];
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      const location = `paths.${path}.${method}`;
      if (!SUPPORTED_METHODS.has(method)) {
        unsupported.push({ location, message: `${method.toUpperCase()} operations are not supported` });
        continue;
      }
      if (operation.callbacks) unsupported.push({ location: `${location}.callbacks`, message: 'callbacks are not supported; the operation is imported without them' });

      const byKey = new Map<string, ImportedParameter>();
      for (const raw of [...shared, ...((operation.parameters as unknown[] | undefined) ?? [])]) {
        const parameter = deref(root, raw);
        if (parameter.in === 'cookie') {
          unsupported.push({ location: `${location}.parameters.${String(parameter.name)}`, message: 'cookie parameters are not supported' });
          continue;
        }
        // Operation-level parameters override path-level ones of the same name and location.
        byKey.set(`${String(parameter.in)}:${String(parameter.name)}`, {
          name: String(parameter.name),
          in: parameter.in as ParameterLocation,
          required: parameter.in === 'path' || parameter.required === true,
          schema: parameter.schema ?? jsonContent(parameter.content)?.schema ?? {},
        });
      }

      let body: ImportedAction['body'];
      if (operation.requestBody) {
        const requestBody = deref(root, operation.requestBody);
        const json = jsonContent(requestBody.content);
        if (json) body = { required: requestBody.required === true, ...json };
        else unsupported.push({ location: `${location}.requestBody`, message: `request body types ${Object.keys((requestBody.content as Json | undefined) ?? {}).join(', ') || '(none)'} are not supported (XML, forms, files); only JSON bodies are` });
      }

      const responses = (operation.responses ?? {}) as Record<string, unknown>;
      const success = Object.keys(responses).filter((code) => /^2(\d\d|XX)$/i.test(code)).sort()[0];
      const output = success ? jsonContent(deref(root, responses[success]).content)?.schema : undefined;

      const base = actionName(method, path, operation.operationId as string | undefined);
      const count = (taken.get(base) ?? 0) + 1;
      taken.set(base, count);
      actions.push({
        name: count === 1 ? base : `${base}${count}`,
        operationId: operation.operationId as string | undefined,
        method: method.toUpperCase() as ImportedAction['method'],
        path,
        summary: (operation.summary ?? operation.description) as string | undefined,
        parameters: [...byKey.values()],
        body,
        output,
      });
    }
  }

  const servers = ((doc.servers as Array<{ url: string; variables?: Record<string, { default: string }> }> | undefined) ?? []).map((server) =>
    server.url.replace(/\{([^}]+)\}/g, (_m, variable: string) => server.variables?.[variable]?.default ?? `{${variable}}`),
  );
  return {
    slug,
    version,
    title: doc.info?.title ?? slug,
    dialect: doc.openapi.startsWith('3.1') ? '3.1' : '3.0',
    servers,
    auth: mapAuth(root, unsupported),
    components: doc.components ?? {},
    actions,
    unsupported,
  };
}
