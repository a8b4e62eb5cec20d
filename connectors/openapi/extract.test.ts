/**
 * Extraction details the API tests do not reach: which body type is chosen, what a lenient import
 * does with parts it cannot read, and that specs stored before parameter styles existed still
 * build and serialise as OpenAPI's defaults say.
 */
import { extractSpec } from './extract';
import type { OpenApiDocument } from './load-document';
import type { ImportedSpec, ImportIssue } from './spec';
import { importedRuntime } from './to-runtime';

const doc = (paths: Record<string, unknown>, components: Record<string, unknown> = {}): OpenApiDocument => ({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths, components });
const ok = { 200: { description: 'ok' } };

it('prefers JSON, then a form, then multipart, when an operation offers several body types', () => {
  const schema = { type: 'object' };
  const spec = extractSpec(
    doc({
      '/a': {
        post: { operationId: 'a', requestBody: { content: { 'multipart/form-data': { schema }, 'application/x-www-form-urlencoded': { schema }, 'application/json': { schema } } }, responses: ok },
      },
      '/b': { post: { operationId: 'b', requestBody: { content: { 'multipart/form-data': { schema }, 'application/x-www-form-urlencoded; charset=utf-8': { schema } } }, responses: ok } },
      '/c': { post: { operationId: 'c', requestBody: { content: { 'application/xml': { schema }, 'multipart/form-data': { schema } } }, responses: ok } },
    }),
    't',
    1,
  );
  expect(spec.actions.map((a) => [a.name, a.body?.contentType])).toEqual([
    ['a', 'application/json'],
    ['b', 'application/x-www-form-urlencoded; charset=utf-8'],
    ['c', 'multipart/form-data'],
  ]);
});

it('skips only what cannot be built, and says why and where', () => {
  const warnings: ImportIssue[] = [];
  const spec = extractSpec(
    doc(
      {
        '/users/{id}': {
          get: {
            operationId: 'getUser',
            parameters: [
              { in: 'query', schema: { type: 'string' } },
              { name: 'sort', in: 'query', style: 'matrix', schema: { type: 'string' } },
            ],
            responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Missing' } } } } },
          },
          put: { operationId: 'putUser', requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Missing' } } } }, responses: ok },
          delete: { operationId: 'deleteUser', parameters: [{ $ref: '#/components/parameters/Nope' }], responses: ok },
          patch: 'not an operation',
        },
      },
      { schemas: {} },
    ),
    't',
    1,
    warnings,
  );
  expect(spec.actions.map((a) => a.name)).toEqual(['getUser']);
  // The undeclared path parameter is added, the nameless one left out, the wrong style dropped, the unresolvable output not validated.
  expect(spec.actions[0]!.parameters).toEqual([
    { name: 'sort', in: 'query', required: false, schema: { type: 'string' } },
    { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
  ]);
  expect(spec.actions[0]!.output).toBeUndefined();
  expect(warnings.map((w) => w.location)).toEqual([
    'paths./users/{id}.get.parameters.0',
    'paths./users/{id}.get.parameters.sort.style',
    'paths./users/{id}.get.parameters',
    'paths./users/{id}.get.responses.200',
    'paths./users/{id}.put.parameters',
  ]);
  expect(warnings[2]!.message).toBe('path parameter "id" of /users/{id} is not declared; imported as a required string');
  expect(spec.unsupported).toEqual([
    { location: 'paths./users/{id}.put', message: 'the operation cannot be imported: its body uses $ref "#/components/schemas/Missing", which does not resolve' },
    { location: 'paths./users/{id}.delete', message: 'the operation cannot be imported: paths./users/{id}.delete.parameters.0: $ref "#/components/parameters/Nope" does not resolve' },
    { location: 'paths./users/{id}.patch', message: 'the operation cannot be imported: not an operation object' },
  ]);
});

it('builds a spec stored before styles and warnings existed, with OpenAPI defaults (query form, explode)', () => {
  const stored: ImportedSpec = {
    slug: 'old',
    version: 1,
    title: 'Old',
    dialect: '3.0',
    servers: ['https://old.example.com'],
    auth: { kind: 'none' },
    components: {},
    unsupported: [],
    actions: [
      {
        name: 'list',
        method: 'GET',
        path: '/items/{id}',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'array' } },
          { name: 'tag', in: 'query', required: false, schema: { type: 'array' } },
        ],
        body: { required: false, contentType: 'application/json', schema: {} },
      },
    ],
  };
  const connector = importedRuntime(stored).connectors.get('list')!;
  expect(connector.request({ id: [1, 2], tag: ['a', 'b'], body: { x: 1 } })).toEqual({
    method: 'GET',
    path: '/items/1,2',
    query: { tag: ['a', 'b'] },
    queryStyles: { tag: { style: 'form', explode: true } },
    headers: {},
    body: { x: 1 },
  });
});
