/**
 * Reads an OpenAPI 3.0/3.1 document (JSON or YAML, text or object) and validates it with
 * swagger-parser. Problems come back as an ImportError with the parser's message and where.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { parseDocument } from 'yaml';
import type { ImportIssue } from './spec';

export class ImportError extends Error {
  constructor(
    message: string,
    readonly issues: ImportIssue[] = [],
  ) {
    super(message);
  }
}

export type OpenApiDocument = Record<string, unknown> & { openapi: string; paths?: Record<string, unknown>; components?: Record<string, unknown>; info?: { title?: string } };

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
    throw new ImportError(`the document is not valid YAML (${where}): ${first.message.split('\n')[0]}`, doc.errors.map((e) => ({ location: e.linePos?.[0] ? `line ${e.linePos[0].line}` : '', message: e.message.split('\n')[0]! })));
  }
  return doc.toJS();
}

/** Every `$ref` that points outside the document, with where it sits. */
export function externalRefs(node: unknown, path: string[] = []): ImportIssue[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => externalRefs(item, [...path, String(i)]));
  if (!node || typeof node !== 'object') return [];
  const issues: ImportIssue[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) issues.push({ location: path.join('.') || '(root)', message: `external $ref "${value}" is not supported; bundle the document into one file first` });
    else issues.push(...externalRefs(value, [...path, key]));
  }
  return issues;
}

export async function loadOpenApiDocument(input: string | object): Promise<OpenApiDocument> {
  const parsed = typeof input === 'string' ? parseText(input) : input;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ImportError('the document must be an object');
  const version = (parsed as { openapi?: unknown }).openapi;
  if (typeof version !== 'string' || !/^3\.[01]\.\d+/.test(version)) {
    const swagger = (parsed as { swagger?: unknown }).swagger;
    throw new ImportError(swagger ? `Swagger ${String(swagger)} is not supported; convert it to OpenAPI 3` : 'openapi: must be a 3.0.x or 3.1.x version string');
  }
  const external = externalRefs(parsed);
  if (external.length > 0) throw new ImportError(`the document has ${external.length} external $ref(s), which are not supported`, external);
  try {
    // Validation only; references stay in place (the copy is dereferenced, the original is kept).
    await SwaggerParser.validate(structuredClone(parsed) as never, { resolve: { external: false }, dereference: { circular: 'ignore' } });
  } catch (err) {
    throw new ImportError(`invalid OpenAPI document: ${(err as Error).message}`, issuesFromParser(err));
  }
  return parsed as OpenApiDocument;
}

function issuesFromParser(err: unknown): ImportIssue[] {
  const details = (err as { details?: Array<{ instancePath?: string; message?: string }> }).details;
  return (details ?? []).slice(0, 20).map((d) => ({ location: d.instancePath ?? '', message: d.message ?? '' }));
}
