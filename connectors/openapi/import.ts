/**
 * Imports an OpenAPI document as a new version of an application (or finds the version it already
 * is). Used by `POST /applications/import` and by `npm run openapi:import -- <file>`.
 */
import { createHash } from 'node:crypto';
import type { ImportedApplicationStore } from '../../store/imported-application-store';
import { extractSpec } from './extract';
import { ImportError, loadOpenApiDocument } from './load-document';
import { applicationName, type ImportIssue } from './spec';

export interface ImportResult {
  /** What channels and actions use: `<slug>@v<version>`. */
  application: string;
  slug: string;
  version: number;
  title: string;
  actions: number;
  /** False when this exact document was imported before: no new version. */
  created: boolean;
  unsupported: ImportIssue[];
  durationMs: number;
}

export function slugFrom(title: string): string {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').replace(/^(\d)/, 'api-$1');
  return slug || 'imported-api';
}

export async function importOpenApi(store: ImportedApplicationStore, document: string | object, name?: string): Promise<ImportResult> {
  const started = performance.now();
  if (name !== undefined && !/^[a-z][a-z0-9-]{0,62}$/.test(name)) throw new ImportError('name: must be kebab-case (a-z, 0-9, -), starting with a letter');
  const doc = await loadOpenApiDocument(document);
  const slug = name ?? slugFrom(doc.info?.title ?? '');
  const hash = createHash('sha256').update(JSON.stringify(doc)).digest('hex');
  const { spec, created } = await store.save(slug, hash, (version) => extractSpec(doc, slug, version));
  return {
    application: applicationName(slug, spec.version),
    slug,
    version: spec.version,
    title: spec.title,
    actions: spec.actions.length,
    created,
    unsupported: spec.unsupported,
    durationMs: Math.round(performance.now() - started),
  };
}
