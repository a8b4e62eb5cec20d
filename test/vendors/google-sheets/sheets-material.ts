/**
 * Google's own description of the Sheets API v4, read from its generated Node client
 * (@googleapis/sheets, generated from Google's discovery document): each method's HTTP method,
 * path template, required and path parameters (build/v4.js), its query parameters, request body
 * and response types (build/v4.d.ts, the `Params$…` and `Schema$…` declarations). Both files are
 * parsed with the TypeScript compiler, not matched by text. The fake checks every request, and
 * its own answers, against them: a query parameter, body field or type Google's client does not
 * know is a violation.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';

export type FieldType =
  | { kind: 'string' | 'number' | 'boolean' | 'any'; nullable?: boolean }
  | { kind: 'array'; of: FieldType; nullable?: boolean }
  | { kind: 'record'; of: FieldType; nullable?: boolean }
  | { kind: 'ref'; name: string; nullable?: boolean };

export interface SheetsMethod {
  /** `spreadsheets.values.append` */
  id: string;
  httpMethod: string;
  /** `/v4/spreadsheets/{spreadsheetId}/values/{range}:append` */
  path: string;
  requiredParams: string[];
  pathParams: string[];
  /** Query parameters by name (StandardParameters included), without the path parameters. */
  query: Map<string, FieldType>;
  requestBody: string | undefined;
  response: string | undefined;
}

export interface SheetsMaterial {
  methods: SheetsMethod[];
  /** `Schema$…` declarations by name: field → type. */
  schemas: Map<string, Map<string, FieldType>>;
  /** Where `value` breaks the type `schema` (`Schema$ValueRange`), as Google words an unknown field. */
  validate(schema: string, value: unknown, at?: string): string[];
}

const CLIENT = (file: string) => require.resolve(`@googleapis/sheets/build/${file}`);

function sourceOf(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

/** `Resource$Spreadsheets$DeveloperMetadata` + `search` → `spreadsheets.developerMetadata.search`. */
function methodId(className: string, method: string): string {
  const parts = className
    .split('$')
    .slice(1)
    .map((part) => part.charAt(0).toLowerCase() + part.slice(1));
  return [...parts, method].join('.');
}

function nameOf(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

function strings(node: ts.Expression): string[] {
  return ts.isArrayLiteralExpression(node) ? node.elements.filter(ts.isStringLiteral).map((e) => e.text) : [];
}

/** From build/v4.js: each method's `parameters` literal (url, method, requiredParams, pathParams). */
function methodDefinitions(): Array<Omit<SheetsMethod, 'query' | 'requestBody' | 'response'>> {
  const found: Array<Omit<SheetsMethod, 'query' | 'requestBody' | 'response'>> = [];
  walk(sourceOf(CLIENT('v4.js')), (node) => {
    if (!ts.isClassDeclaration(node) || !node.name?.text.startsWith('Resource$')) return;
    const className = node.name.text;
    for (const member of node.members) {
      if (!ts.isMethodDeclaration(member)) continue;
      const method = nameOf(member.name);
      const definition: Partial<Omit<SheetsMethod, 'query' | 'requestBody' | 'response'>> = {};
      walk(member, (inner) => {
        if (!ts.isPropertyAssignment(inner)) return;
        const key = nameOf(inner.name);
        if (key === 'url')
          walk(inner.initializer, (part) => {
            if (ts.isStringLiteral(part) && part.text.startsWith('/v4/')) definition.path = part.text;
          });
        if (key === 'method' && ts.isStringLiteral(inner.initializer)) definition.httpMethod = inner.initializer.text;
        if (key === 'requiredParams') definition.requiredParams = strings(inner.initializer);
        if (key === 'pathParams') definition.pathParams = strings(inner.initializer);
      });
      if (method && definition.path && definition.httpMethod) {
        found.push({
          id: methodId(className, method),
          httpMethod: definition.httpMethod,
          path: definition.path,
          requiredParams: definition.requiredParams ?? [],
          pathParams: definition.pathParams ?? [],
        });
      }
    }
  });
  return found;
}

function typeOf(node: ts.TypeNode): FieldType {
  if (ts.isUnionTypeNode(node)) {
    const rest = node.types.filter((t) => !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword));
    const inner = rest.length === 1 ? typeOf(rest[0]!) : ({ kind: 'any' } as FieldType);
    return rest.length < node.types.length ? { ...inner, nullable: true } : inner;
  }
  if (ts.isArrayTypeNode(node)) return { kind: 'array', of: typeOf(node.elementType) };
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) return { kind: 'ref', name: node.typeName.text };
  if (ts.isTypeLiteralNode(node)) {
    const index = node.members.find(ts.isIndexSignatureDeclaration);
    return { kind: 'record', of: index ? typeOf(index.type) : { kind: 'any' } };
  }
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { kind: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return { kind: 'number' };
    case ts.SyntaxKind.BooleanKeyword:
      return { kind: 'boolean' };
    default:
      return { kind: 'any' };
  }
}

interface Declarations {
  interfaces: Map<string, { fields: Map<string, FieldType>; extends: string[] }>;
  /** `spreadsheets.values.append` → its Params and response type names. */
  signatures: Map<string, { params: string; response: string | undefined }>;
}

/** From build/v4.d.ts: the interfaces, and which Params/response types each method takes. */
function declarations(): Declarations {
  const interfaces: Declarations['interfaces'] = new Map();
  const signatures: Declarations['signatures'] = new Map();
  walk(sourceOf(CLIENT('v4.d.ts')), (node) => {
    if (ts.isInterfaceDeclaration(node)) {
      const fields = new Map<string, FieldType>();
      for (const member of node.members) {
        const name = ts.isPropertySignature(member) ? nameOf(member.name) : undefined;
        if (name && ts.isPropertySignature(member) && member.type) fields.set(name, typeOf(member.type));
      }
      const bases = (node.heritageClauses ?? []).flatMap((clause) => clause.types.map((t) => t.expression.getText()));
      interfaces.set(node.name.text, { fields, extends: bases });
    }
    if (ts.isClassDeclaration(node) && node.name?.text.startsWith('Resource$')) {
      for (const member of node.members) {
        if (!ts.isMethodDeclaration(member)) continue;
        const method = nameOf(member.name);
        const param = member.parameters[0]?.type;
        const returns = member.type?.getText() ?? '';
        const response = /^Promise<GaxiosResponseWithHTTP2<(Schema\$\w+)>>$/.exec(returns)?.[1];
        if (method && param && ts.isTypeReferenceNode(param) && response) signatures.set(methodId(node.name.text, method), { params: param.typeName.getText(), response });
      }
    }
  });
  return { interfaces, signatures };
}

let material: SheetsMaterial | undefined;

export function sheetsMaterial(): SheetsMaterial {
  if (material) return material;
  const { interfaces, signatures } = declarations();
  const fieldsOf = (name: string): Map<string, FieldType> => {
    const declared = interfaces.get(name);
    if (!declared) return new Map();
    return new Map([...declared.extends.flatMap((base) => [...fieldsOf(base)]), ...declared.fields]);
  };
  const methods = methodDefinitions().map((definition): SheetsMethod => {
    const signature = signatures.get(definition.id);
    const params = signature ? fieldsOf(signature.params) : new Map<string, FieldType>();
    const body = params.get('requestBody');
    const query = new Map([...params].filter(([name]) => name !== 'auth' && name !== 'requestBody' && !definition.pathParams.includes(name)));
    return { ...definition, query, requestBody: body?.kind === 'ref' ? body.name : undefined, response: signature?.response };
  });
  const schemas = new Map([...interfaces.keys()].filter((name) => name.startsWith('Schema$')).map((name) => [name, fieldsOf(name)]));

  const check = (type: FieldType, value: unknown, at: string, issues: string[]): void => {
    if (value === null) {
      if (!type.nullable && type.kind !== 'any') issues.push(`${at}: null where ${type.kind} is expected`);
      return;
    }
    switch (type.kind) {
      case 'any':
        return;
      case 'string':
      case 'number':
      case 'boolean':
        if (typeof value !== type.kind) issues.push(`${at}: ${JSON.stringify(value)} is not a ${type.kind}`);
        return;
      case 'array':
        if (!Array.isArray(value)) issues.push(`${at}: not a list`);
        else value.forEach((item, i) => check(type.of, item, `${at}[${i}]`, issues));
        return;
      case 'record':
        if (typeof value !== 'object' || Array.isArray(value)) issues.push(`${at}: not an object`);
        else for (const [key, item] of Object.entries(value)) check(type.of, item, `${at}.${key}`, issues);
        return;
      case 'ref': {
        const fields = schemas.get(type.name);
        if (!fields) return;
        if (typeof value !== 'object' || Array.isArray(value)) {
          issues.push(`${at}: not an object (${type.name})`);
          return;
        }
        for (const [key, item] of Object.entries(value)) {
          const field = fields.get(key);
          if (!field) issues.push(`Invalid JSON payload received. Unknown name "${key}" at '${at}': Cannot find field.`);
          else check(field, item, at ? `${at}.${key}` : key, issues);
        }
      }
    }
  };
  material = {
    methods,
    schemas,
    validate: (schema, value, at = '') => {
      const issues: string[] = [];
      check({ kind: 'ref', name: schema }, value, at, issues);
      return issues;
    },
  };
  return material;
}
