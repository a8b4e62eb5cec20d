/**
 * Turns an OpenAPI 3 document into an ImportedSpec: one action per path operation, its input
 * (path, query and header parameters, a JSON, form or multipart body), its output (the success
 * response's JSON schema) and how it pages (extract-pagination.ts), the document's security
 * scheme as our auth kind, and `servers` as the default base URL.
 *
 * Lenient: the document may have failed validation (the faults are in `warnings`). A part that
 * cannot be read is left out with a warning; only an operation that cannot be built at all (a
 * `$ref` its input needs does not resolve) is skipped, and listed in `unsupported`.
 */
import { mapAuth } from './extract-auth';
import { extractBody } from './extract-body';
import { paginationHint } from './extract-pagination';
import { extractParameters, jsonContent } from './extract-parameters';
import type { OpenApiDocument } from './load-document';
import { derefObject, SchemaRefs } from './refs';
import { isObject, type Json } from './schema-walk';
import type { ImportedAction, ImportedSpec, ImportIssue } from './spec';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const SUPPORTED_METHODS = new Set(['get', 'put', 'post', 'delete', 'head', 'patch']);

export function actionName(method: string, path: string, operationId: string | undefined): string {
  const words = (operationId ?? `${method} ${path.replace(/\{([^}]+)\}/g, 'by $1')}`).split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = words.map((word, i) => (i === 0 ? word.charAt(0).toLowerCase() + word.slice(1) : word.charAt(0).toUpperCase() + word.slice(1))).join('');
  return /^[a-z]/.test(name) ? name : `op${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}

type Draft = Omit<ImportedAction, 'name'>;

function outputOf(root: Json, responses: unknown, location: string, refs: SchemaRefs, warnings: ImportIssue[]): unknown {
  if (!isObject(responses)) return undefined;
  const success = Object.keys(responses)
    .filter((code) => /^2(\d\d|XX)$/i.test(code))
    .sort()[0];
  if (!success) return undefined;
  try {
    const output = jsonContent(derefObject(root, responses[success]).content)?.schema;
    const broken = refs.brokenRef(output);
    if (!broken) return output;
    warnings.push({ location: `${location}.responses.${success}`, message: `$ref "${broken}" does not resolve; the output is not validated` });
  } catch (err) {
    warnings.push({ location: `${location}.responses.${success}`, message: `${(err as Error).message}; the output is not validated` });
  }
  return undefined;
}

function operationOf(root: Json, path: string, method: string, item: Json, operation: Json, refs: SchemaRefs, unsupported: ImportIssue[], warnings: ImportIssue[]): Draft | undefined {
  const location = `paths.${path}.${method}`;
  if (operation.callbacks) unsupported.push({ location: `${location}.callbacks`, message: 'callbacks are not supported; the operation is imported without them' });
  const parameters = extractParameters(
    root,
    path,
    [
      [item.parameters, `paths.${path}.parameters`],
      [operation.parameters, `${location}.parameters`],
    ],
    unsupported,
    warnings,
  );
  let body: ImportedAction['body'];
  if (operation.requestBody !== undefined) {
    const found = extractBody(root, derefObject(root, operation.requestBody));
    if ('body' in found) body = found.body;
    else
      unsupported.push({
        location: `${location}.requestBody`,
        message: `request body types ${found.unsupported.join(', ') || '(none)'} are not supported (XML, plain text, raw files, …); JSON, form and multipart bodies are; the operation is imported without a body`,
      });
  }
  for (const [schema, where] of [...parameters.map((p) => [p.schema, `parameter ${p.name}`] as const), [body?.schema, 'body'] as const]) {
    const broken = refs.brokenRef(schema);
    if (broken) {
      unsupported.push({ location, message: `the operation cannot be imported: its ${where} uses $ref "${broken}", which does not resolve` });
      return undefined;
    }
  }
  const draft: Draft = {
    operationId: typeof operation.operationId === 'string' ? operation.operationId : undefined,
    method: method.toUpperCase() as ImportedAction['method'],
    path,
    summary: [operation.summary, operation.description].find((text): text is string => typeof text === 'string'),
    parameters,
    body,
    output: outputOf(root, operation.responses, location, refs, warnings),
  };
  const pagination = paginationHint(root, operation, { ...draft, name: draft.operationId ?? `${method} ${path}` }, location, warnings);
  return pagination ? { ...draft, pagination } : draft;
}

function serversOf(doc: Json): string[] {
  const servers = Array.isArray(doc.servers) ? doc.servers.filter(isObject) : [];
  return servers.flatMap((server) => {
    if (typeof server.url !== 'string') return [];
    const variables = isObject(server.variables) ? server.variables : {};
    return [server.url.replace(/\{([^}]+)\}/g, (_m, name: string) => (isObject(variables[name]) && typeof variables[name].default === 'string' ? variables[name].default : `{${name}}`))];
  });
}

/** The actions and auth of `doc`; `warnings` receives what was left out or worked around. */
export function extractSpec(doc: OpenApiDocument, slug: string, version: number, warnings: ImportIssue[] = []): ImportedSpec {
  const root = doc as Json;
  const unsupported: ImportIssue[] = [];
  const actions: ImportedAction[] = [];
  const taken = new Map<string, number>();
  const refs = new SchemaRefs(root);

  for (const [path, rawItem] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
    let item: Json;
    try {
      item = derefObject(root, rawItem);
    } catch (err) {
      unsupported.push({ location: `paths.${path}`, message: `the path cannot be imported: ${(err as Error).message}` });
      continue;
    }
    for (const method of METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const location = `paths.${path}.${method}`;
      if (!SUPPORTED_METHODS.has(method)) {
        unsupported.push({ location, message: `${method.toUpperCase()} operations are not supported` });
        continue;
      }
      let draft: Draft | undefined;
      try {
        if (!isObject(operation)) throw new Error('not an operation object');
        draft = operationOf(root, path, method, item, operation, refs, unsupported, warnings);
      } catch (err) {
        unsupported.push({ location, message: `the operation cannot be imported: ${(err as Error).message}` });
      }
      if (!draft) continue;
      const base = actionName(method, path, draft.operationId);
      const count = (taken.get(base) ?? 0) + 1;
      taken.set(base, count);
      actions.push({ name: count === 1 ? base : `${base}${count}`, ...draft });
    }
  }

  const info = isObject(doc.info) ? doc.info : {};
  return {
    slug,
    version,
    title: typeof info.title === 'string' && info.title ? info.title : slug,
    dialect: doc.openapi.startsWith('3.0') ? '3.0' : '3.1',
    servers: serversOf(root),
    auth: mapAuth(root, unsupported, warnings),
    components: doc.components ?? {},
    actions,
    unsupported,
  };
}
