/**
 * Reads an OpenAPI document (JSON or YAML, text or object): Swagger 2.0 is converted to OpenAPI
 * 3.0 first, then the document is validated (validation.ts). What cannot be imported at all
 * comes back as an ImportError with the message and where: text that does not parse, no
 * `paths`, external `$ref`s, and (strict) validation faults.
 */
import { parseDocument } from 'yaml';
import { ImportError } from './errors';
import { everyEntry, isObject } from './schema-walk';
import type { ImportIssue } from './spec';
import { convertSwagger2 } from './swagger2';
import { validateDocument } from './validation';

export { ImportError } from './errors';

export type OpenApiDocument = Record<string, unknown> & { openapi: string; paths?: Record<string, unknown>; components?: Record<string, unknown>; info?: { title?: string; version?: string } };

export interface LoadedDocument {
  /** The OpenAPI 3 document to import (the conversion, for Swagger 2.0). */
  doc: OpenApiDocument;
  /** The document as given, parsed: what identifies it (its hash). */
  original: Record<string, unknown>;
  warnings: ImportIssue[];
  convertedFrom?: 'swagger-2.0';
}

export function parseText(text: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new ImportError(`the document is not valid JSON: ${(err as Error).message}`);
    }
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos?.[0] ? `line ${first.linePos[0].line}, column ${first.linePos[0].col}` : 'unknown position';
    throw new ImportError(
      `the document is not valid YAML (${where}): ${first.message.split('\n')[0]}`,
      doc.errors.map((e) => ({ location: e.linePos?.[0] ? `line ${e.linePos[0].line}` : '', message: e.message.split('\n')[0]! })),
    );
  }
  try {
    // yaml caps alias expansion (maxAliasCount), so an alias "billion laughs" fails here instead of filling memory.
    return doc.toJS();
  } catch (err) {
    throw new ImportError(`the document is not valid YAML: ${(err as Error).message}`);
  }
}

/** Every `$ref` that points outside the document, with where it sits. */
export function externalRefs(node: unknown): ImportIssue[] {
  const issues: ImportIssue[] = [];
  everyEntry(node, (key, value, path) => {
    if (key !== '$ref' || typeof value !== 'string' || value.startsWith('#')) return false;
    issues.push({ location: path.join('.') || '(root)', message: `external $ref "${value}" is not supported; bundle the document into one file first` });
    return true;
  });
  return issues.reverse();
}

const STRICT_VERSION = /^3\.[01]\.\d+/;

export async function loadOpenApiDocument(input: string | object, options: { strict?: boolean } = {}): Promise<LoadedDocument> {
  const strict = options.strict === true;
  const parsed = typeof input === 'string' ? parseText(input) : input;
  if (!isObject(parsed)) throw new ImportError('the document must be an object');
  const external = externalRefs(parsed);
  if (external.length > 0) throw new ImportError(`the document has ${external.length} external $ref(s), which are not supported`, external);

  const warnings: ImportIssue[] = [];
  let doc: Record<string, unknown> = parsed;
  let convertedFrom: LoadedDocument['convertedFrom'];
  if (parsed.swagger !== undefined && parsed.openapi === undefined) {
    if (!/^2\.0(\.\d+)?$/.test(String(parsed.swagger))) throw new ImportError(`swagger: version ${String(parsed.swagger)} is not supported; Swagger 2.0 and OpenAPI 3.0/3.1 are`);
    const converted = await convertSwagger2(parsed);
    doc = converted.doc;
    warnings.push(...converted.warnings);
    convertedFrom = 'swagger-2.0';
  }

  const version = doc.openapi;
  if (typeof version !== 'string' || !/^3\.\d+(\.\d+)?/.test(version) || (strict && !STRICT_VERSION.test(version))) throw new ImportError('openapi: must be a 3.0.x or 3.1.x version string');
  if (!STRICT_VERSION.test(version)) warnings.push({ location: 'openapi', message: `version ${version} is read as OpenAPI ${version.startsWith('3.0') ? '3.0' : '3.1'}` });
  if (!strict && !isObject(doc.paths)) throw new ImportError('paths: the document has no paths object, so no operations to import');

  warnings.push(...(await validateDocument(doc, strict)));
  return { doc: doc as OpenApiDocument, original: parsed, warnings, convertedFrom };
}
