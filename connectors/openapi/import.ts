/**
 * Imports an OpenAPI document as a new version of an application (or finds the version it already
 * is). Used by `POST /applications/import` and by `npm run openapi:import -- <file>`. The document
 * is processed in a worker thread (worker-runner.ts); only the store write happens here.
 */
import type { ImportedApplicationStore } from '../../store/imported-application-store';
import { ImportError } from './errors';
import { processInWorker, type ImportLimits } from './worker-runner';
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
  /** Parts skipped: operations that cannot be built, body types and auth schemes we do not support. */
  unsupported: ImportIssue[];
  /** Faults that did not stop the import (validation, patterns not enforced), each with where it is. */
  warnings: ImportIssue[];
  durationMs: number;
}

export interface ImportOptions {
  /** kebab-case application name; default: from the document's info.title. */
  name?: string;
  /** Refuse the document (ImportError) on a validation fault instead of importing it with warnings. */
  strict?: boolean;
  limits?: ImportLimits;
  /** Refuse a new version (TooManyVersionsError from the store) when the application has this many already. */
  maxVersions?: number;
}

/** What a document weighs for the import caps: its UTF-8 bytes as sent, an object as JSON. */
export function documentBytes(document: string | object): number {
  return Buffer.byteLength(typeof document === 'string' ? document : JSON.stringify(document));
}

export async function importOpenApi(store: ImportedApplicationStore, document: string | object, options: ImportOptions = {}): Promise<ImportResult> {
  const started = performance.now();
  const { name, strict = false } = options;
  if (name !== undefined && !/^[a-z][a-z0-9-]{0,62}$/.test(name)) throw new ImportError('name: must be kebab-case (a-z, 0-9, -), starting with a letter');
  const processed = await processInWorker({ document, strict, ...(name === undefined ? {} : { name }) }, options.limits);
  const { spec, created } = await store.save(processed.slug, processed.hash, (version) => ({ ...processed.spec, version }), { documentBytes: documentBytes(document), maxVersions: options.maxVersions });
  return {
    application: applicationName(processed.slug, spec.version),
    slug: processed.slug,
    version: spec.version,
    title: spec.title,
    actions: spec.actions.length,
    created,
    unsupported: spec.unsupported,
    // A version stored before warnings existed has none recorded: this run's are the same document's.
    warnings: spec.warnings ?? processed.spec.warnings ?? [],
    durationMs: Math.round(performance.now() - started),
  };
}
