/**
 * Swagger 2.0 documents are converted to OpenAPI 3.0 with swagger2openapi (Mermade's converter,
 * the one most tools use), then imported like any 3.0 document: `host` + `basePath` + `schemes`
 * become `servers`, `securityDefinitions` become `securitySchemes`, `formData` parameters a form
 * or multipart body, `type: file` a `format: binary` field, `collectionFormat` a `style`.
 */
import { convertObj } from 'swagger2openapi';
import { ImportError } from './errors';
import { everyEntry, locationOf, type Json } from './schema-walk';
import type { ImportIssue } from './spec';

/** What the converter could not fix, which it marks with `x-s2o-warning` where it happened. */
function conversionWarnings(doc: unknown): ImportIssue[] {
  const issues: ImportIssue[] = [];
  everyEntry(doc, (key, value, at) => {
    if (key !== 'x-s2o-warning') return false;
    issues.push({ location: locationOf(at), message: `Swagger 2.0 conversion: ${String(value)}` });
    return true;
  });
  return issues;
}

export async function convertSwagger2(doc: Json): Promise<{ doc: Json; warnings: ImportIssue[] }> {
  try {
    // patch: fix what it can (e.g. a missing `info.version`); warnOnly: mark the rest instead of giving up.
    const converted = await convertObj(structuredClone(doc) as never, { patch: true, warnOnly: true, resolve: false });
    const openapi = converted.openapi as unknown as Json;
    return { doc: openapi, warnings: conversionWarnings(openapi) };
  } catch (err) {
    throw new ImportError(`the Swagger 2.0 document could not be converted to OpenAPI 3: ${(err as Error).message}`);
  }
}
