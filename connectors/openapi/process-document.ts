/**
 * Everything an import computes from the document, as plain data: parsing, Swagger 2.0
 * conversion, validation, extraction and the schema checks. It runs in a worker thread
 * (import-worker.ts) with time and memory limits, so a hostile document cannot stall the API;
 * storing the result is left to the caller, on the main thread.
 */
import { createHash } from 'node:crypto';
import { prepareForAjv } from './ajv-schema';
import { extractSpec } from './extract';
import { engines } from './json-schema';
import { loadOpenApiDocument, type OpenApiDocument } from './load-document';
import { unsupportedPatterns } from './patterns';
import { documentSchemas, locationOf, type Json } from './schema-walk';
import type { ImportedSpec, ImportIssue } from './spec';
import { capIssues } from './validation';
import { slugFrom } from './spec';

export interface ProcessRequest {
  document: string | object;
  name?: string;
  strict: boolean;
}

export interface ProcessedDocument {
  slug: string;
  /** Identifies the document: the same document again is the same version. */
  hash: string;
  /** The spec to store, its `version` still 0: the store numbers it. */
  spec: ImportedSpec;
  convertedFrom?: 'swagger-2.0';
}

/** Keywords validation will ignore because Ajv cannot compile them (json-schema.ts drops them the same way). */
function ignoredKeywords(doc: OpenApiDocument, dialect: ImportedSpec['dialect'], known: ReadonlySet<string>): ImportIssue[] {
  const issues: ImportIssue[] = [];
  for (const [path, schema] of documentSchemas(doc as Json)) {
    for (const dropped of prepareForAjv(engines[dialect], structuredClone(schema), dialect)) {
      const location = locationOf([...path, ...dropped.path]);
      // swagger-parser usually named the same fault already.
      if (!known.has(location)) issues.push({ location, message: dropped.message });
    }
  }
  return issues;
}

export async function processDocument(request: ProcessRequest): Promise<ProcessedDocument> {
  const loaded = await loadOpenApiDocument(request.document, { strict: request.strict });
  const info = loaded.doc.info;
  const slug = request.name ?? slugFrom(typeof info?.title === 'string' ? info.title : '');
  const hash = createHash('sha256').update(JSON.stringify(loaded.original)).digest('hex');
  const warnings = [...loaded.warnings];
  const spec = extractSpec(loaded.doc, slug, 0, warnings);
  warnings.push(...unsupportedPatterns(loaded.doc as Json));
  warnings.push(...ignoredKeywords(loaded.doc, spec.dialect, new Set(warnings.map((w) => w.location))));
  spec.warnings = capIssues(warnings);
  return { slug, hash, spec, ...(loaded.convertedFrom ? { convertedFrom: loaded.convertedFrom } : {}) };
}
