/**
 * HubSpot's endpoints as its own Node SDK (@hubspot/api-client) describes them. HubSpot publishes
 * no OpenAPI document on npm, but the SDK is generated from HubSpot's OpenAPI documents, and what
 * it generated says the same things:
 *
 * - each API class's request factory (`codegen/<group>/apis/*.js`) names the operation's method,
 *   path, query parameters (with their types) and body model; its response processor names the
 *   model of the success answer;
 * - each model's `attributeTypeMap` (`codegen/<group>/models/*.js`) names its fields and types, the
 *   model's declaration (`*.d.ts`) which of them are required, and the enums are exported beside.
 *
 * This module reads that (the generated code is regular: a change of generator that breaks the
 * reading throws here, so validation never silently stops) and validates a request or an answer
 * against it: an unknown operation, query parameter or body field, a missing required field, a
 * wrong type or an enum value the model lacks is a violation. Where the models are known to be
 * wrong, an override says what HubSpot documents instead (`sorts`: HubSpot/hubspot-api-nodejs#559).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

const CODEGEN = join(dirname(require.resolve('@hubspot/api-client/package.json')), 'lib', 'codegen');

interface Attribute {
  baseName: string;
  type: string;
  format: string;
  required: boolean;
}

/** The models of one generated group (`crm/contacts`): fields by model, values by enum. */
export interface Models {
  group: string;
  models: Map<string, Map<string, Attribute>>;
  enums: Map<string, Set<string>>;
}

export interface Operation {
  group: string;
  /** `BasicApi.getPage`. */
  name: string;
  method: string;
  /** As generated: `/crm/v3/objects/contacts/{contactId}`. */
  path: string;
  pattern: RegExp;
  query: Map<string, string>;
  body?: string;
  /** The success status and its model (undefined: no body, as for a 204). */
  success?: { status: number; model?: string };
  models: Models;
}

type Check = (value: unknown, at: string, out: string[]) => void;

const modelsCache = new Map<string, Models>();

/** Which fields a model's declaration marks optional (`'after'?: string`). */
function requiredFields(declarationFile: string): Map<string, boolean> {
  const source = ts.createSourceFile(declarationFile, readFileSync(declarationFile, 'utf8'), ts.ScriptTarget.ES2022);
  const fields = new Map<string, boolean>();
  source.forEachChild((node) => {
    if (!ts.isClassDeclaration(node)) return;
    for (const member of node.members) {
      if (!ts.isPropertyDeclaration(member) || member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
      const name = ts.isStringLiteral(member.name) || ts.isIdentifier(member.name) ? member.name.text : undefined;
      if (name !== undefined) fields.set(name, member.questionToken === undefined);
    }
  });
  return fields;
}

export function loadModels(group: string): Models {
  const cached = modelsCache.get(group);
  if (cached) return cached;
  const dir = join(CODEGEN, group, 'models');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the generated CommonJS module, by its path
  const exported = require(join(dir, 'ObjectSerializer')) as Record<string, unknown>;
  const models = new Map<string, Map<string, Attribute>>();
  const enums = new Map<string, Set<string>>();
  for (const [name, value] of Object.entries(exported)) {
    if (typeof value === 'function' && 'attributeTypeMap' in value) {
      const required = requiredFields(join(dir, `${name}.d.ts`));
      const map = (value as { attributeTypeMap: Array<{ name: string; baseName: string; type: string; format: string }> }).attributeTypeMap;
      models.set(name, new Map(map.map((a) => [a.baseName, { baseName: a.baseName, type: a.type, format: a.format, required: required.get(a.name) ?? false }])));
    } else if (name.endsWith('Enum') && typeof value === 'object' && value !== null) {
      enums.set(name, new Set(Object.values(value).filter((v): v is string => typeof v === 'string')));
    }
  }
  if (models.size < 5) throw new Error(`@hubspot/api-client ${group}: read only ${models.size} models; has its generated code changed shape?`);
  const loaded = { group, models, enums };
  modelsCache.set(group, loaded);
  return loaded;
}

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Appends to `out` what is wrong with `value` as a `type` of `models`; `overrides` replace a `Model.field`'s check. */
export function checkValue(models: Models, type: string, value: unknown, at: string, out: string[], overrides: Record<string, Check> = {}, format = ''): void {
  if (type.endsWith(' | null')) {
    if (value === null) return;
    type = type.slice(0, -' | null'.length);
  }
  const describe = () => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value);
  const array = ARRAY.exec(type);
  const map = MAP.exec(type);
  if (type === 'any') return;
  if (type === 'string') {
    if (typeof value !== 'string') out.push(`${at}: expected a string, got ${describe()}`);
  } else if (type === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) out.push(`${at}: expected a number, got ${describe()}`);
    else if (format.startsWith('int') && !Number.isInteger(value)) out.push(`${at}: expected an integer (${format}), got ${value}`);
  } else if (type === 'boolean') {
    if (typeof value !== 'boolean') out.push(`${at}: expected a boolean, got ${describe()}`);
  } else if (type === 'Date') {
    if (typeof value !== 'string' || !ISO_DATE.test(value)) out.push(`${at}: expected an ISO 8601 date-time, got ${JSON.stringify(value)}`);
  } else if (array) {
    if (!Array.isArray(value)) out.push(`${at}: expected an array, got ${describe()}`);
    else value.forEach((item, i) => checkValue(models, array[1]!, item, `${at}[${i}]`, out, overrides));
  } else if (map) {
    if (!isPlainObject(value)) out.push(`${at}: expected an object, got ${describe()}`);
    else for (const [key, item] of Object.entries(value)) checkValue(models, map[1]!, item, `${at}.${key}`, out, overrides);
  } else if (models.enums.has(type)) {
    if (typeof value !== 'string' || !models.enums.get(type)!.has(value)) out.push(`${at}: ${JSON.stringify(value)} is not one of ${[...models.enums.get(type)!].join(', ')}`);
  } else if (models.models.has(type)) {
    if (!isPlainObject(value)) {
      out.push(`${at}: expected a ${type} object, got ${describe()}`);
      return;
    }
    const attributes = models.models.get(type)!;
    for (const key of Object.keys(value)) if (!attributes.has(key)) out.push(`${at}.${key}: ${type} has no such field`);
    for (const attribute of attributes.values()) {
      const field = value[attribute.baseName];
      const where = `${at}.${attribute.baseName}`;
      if (field === undefined) {
        if (attribute.required) out.push(`${where}: required by ${type}`);
        continue;
      }
      const override = overrides[`${type}.${attribute.baseName}`];
      if (override) override(field, where, out);
      else checkValue(models, attribute.type, field, where, out, overrides, attribute.format);
    }
  } else {
    out.push(`${at}: type ${type} is not one the SDK's ${models.group} models define`);
  }
}

/** The API classes' request factories and response processors of one group, read as operations. */
export function loadOperations(group: string): Operation[] {
  const models = loadModels(group);
  const dir = join(CODEGEN, group, 'apis');
  const operations: Operation[] = [];
  for (const file of readdirSync(dir).filter((f) => /^[A-Z]\w*Api\.js$/.test(f))) {
    const api = file.replace(/\.js$/, '');
    const code = readFileSync(join(dir, file), 'utf8');
    const factory = between(code, `class ${api}RequestFactory`, `exports.${api}RequestFactory =`);
    const processor = between(code, `class ${api}ResponseProcessor`, `exports.${api}ResponseProcessor =`);
    for (const [name, chunk] of methods(factory)) {
      const path = /localVarPath = '([^']+)'/.exec(chunk)?.[1];
      const method = /HttpMethod\.(\w+)/.exec(chunk)?.[1];
      if (!path || !method) throw new Error(`@hubspot/api-client ${group} ${api}.${name}: no path or method found`);
      const query = new Map<string, string>();
      for (const m of chunk.matchAll(/setQueryParam\("(\w+)", ObjectSerializer_1\.ObjectSerializer\.serialize\(\w+, "([^"]+)"/g)) query.set(m[1]!, m[2]!);
      for (const m of chunk.matchAll(/serialize\(\w+, "([^"]+)", "[^"]*"\);\s*for \(const serializedParam of serializedParams\) \{\s*requestContext\.appendQueryParam\("(\w+)"/g))
        query.set(m[2]!, m[1]!);
      const body = chunk.includes('setBody(') ? /stringify\(ObjectSerializer_1\.ObjectSerializer\.serialize\(\w+, "(\w+)"/.exec(chunk)?.[1] : undefined;
      const answer = methods(processor).get(`${name}WithHttpInfo`) ?? '';
      const success = /isCodeInRange\)\("(2\d\d)", response\.httpStatusCode\)\) \{\s*(?:const body = [^;]*"(\w+)", ""\))?/.exec(answer);
      const pattern = new RegExp(`^${path.replace(/\{\w+\}/g, '([^/]+)')}$`);
      operations.push({ group, name: `${api}.${name}`, method, path, pattern, query, body, success: success ? { status: Number(success[1]), model: success[2] } : undefined, models });
    }
  }
  if (operations.length < 5) throw new Error(`@hubspot/api-client ${group}: read only ${operations.length} operations; has its generated code changed shape?`);
  // Literal paths before templated ones: /contacts/search is not /contacts/{contactId}.
  return operations.sort((a, b) => Number(a.path.includes('{')) - Number(b.path.includes('{')));
}

function between(code: string, start: string, end: string): string {
  const from = code.indexOf(start);
  const to = code.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`@hubspot/api-client: "${start}" not found in the generated API`);
  return code.slice(from, to);
}

/** A generated class's methods: name → body, split at each method's first line. */
function methods(classCode: string): Map<string, string> {
  const found = new Map<string, string>();
  const heads = [...classCode.matchAll(/^ {4}(\w+)\([^)]*\) \{$/gm)];
  heads.forEach((head, i) => found.set(head[1]!, classCode.slice(head.index, heads[i + 1]?.index ?? classCode.length)));
  return found;
}

/** The operation a request is for, or undefined when the SDK knows none at that method and path. */
export function findOperation(operations: readonly Operation[], method: string, pathname: string): { operation: Operation; params: string[] } | undefined {
  for (const operation of operations) {
    if (operation.method !== method) continue;
    const match = operation.pattern.exec(pathname);
    if (match) return { operation, params: match.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return undefined;
}

/** What is wrong with a request's query parameters, by the operation's declared ones and their types. */
export function checkQuery(operation: Operation, search: URLSearchParams, out: string[]): void {
  for (const name of new Set(search.keys())) {
    const type = operation.query.get(name);
    const values = search.getAll(name);
    if (!type) out.push(`query ${name}: ${operation.name} takes no such parameter (it takes ${[...operation.query.keys()].join(', ') || 'none'})`);
    else if (!type.startsWith('Array<') && values.length > 1) out.push(`query ${name}: given ${values.length} times, ${operation.name} takes one ${type}`);
    else if (type === 'number') values.filter((v) => !/^-?\d+$/.test(v)).forEach((v) => out.push(`query ${name}: ${JSON.stringify(v)} is not an integer`));
    else if (type === 'boolean') values.filter((v) => v !== 'true' && v !== 'false').forEach((v) => out.push(`query ${name}: ${JSON.stringify(v)} is not true or false`));
  }
}
