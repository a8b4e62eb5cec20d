/**
 * Imports an OpenAPI document as a new version of an application (or finds the version it already
 * is). Used by `POST /applications/import` and by `npm run openapi:import -- <file>`. The document
 * is processed in a worker thread (worker-runner.ts); only the store write, and the lookup of a
 * JSON document imported before (findVersion), happen here.
 */
import { createHash } from 'node:crypto';
import type { ImportedApplicationStore } from '../../store/imported-application-store';
import { integrationOf } from '../catalog';
import { committedApplicationNames } from './committed';
import { ImportError } from './errors';
import { slugFrom } from './spec';
import { isObject } from './schema-walk';
import { processInWorker, type ImportLimits } from './worker-runner';
import { applicationName, type ImportedSpec, type ImportIssue } from './spec';

/** The name asked for, or derived from the document's title, is a code-defined or committed application's (409 through the API). Nothing is stored. */
export class NameTakenError extends Error {
  constructor(
    readonly slug: string,
    readonly committed = false,
  ) {
    super(
      committed
        ? `"${slug}" is the name of an application committed under applications/${slug}/, imported when the system starts; change that document, or import under another name (\`name\`)`
        : `"${slug}" is the name of an application defined in code; import under another name (\`name\`)`,
    );
  }
}

/**
 * Imported versions are `<slug>@v<n>`, but a slug that is a code-defined application's name would
 * read as that application, and one of a committed application's would mix its versions with
 * the repository's.
 */
function refuseCodeName(slug: string): void {
  if (integrationOf(slug)) throw new NameTakenError(slug);
  if (committedApplicationNames().has(slug)) throw new NameTakenError(slug, true);
}

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
  /** Called as the document goes to the worker: it was not found as a version before processing. */
  onProcess?: () => void;
}

/** What a document weighs for the import caps: its UTF-8 bytes as sent, an object as JSON. */
export function documentBytes(document: string | object): number {
  return Buffer.byteLength(typeof document === 'string' ? document : JSON.stringify(document));
}

export async function importOpenApi(store: ImportedApplicationStore, document: string | object, options: ImportOptions = {}): Promise<ImportResult> {
  const started = performance.now();
  const { name, strict = false } = options;
  if (name !== undefined && !/^[a-z][a-z0-9-]{0,62}$/.test(name)) throw new ImportError('name: must be kebab-case (a-z, 0-9, -), starting with a letter');
  if (name !== undefined) refuseCodeName(name);
  const known = await findVersion(store, document, name, strict);
  if (known) return resultOf(known.slug, known.spec, false, known.spec.warnings ?? [], started);
  options.onProcess?.();
  const processed = await processInWorker({ document, strict, ...(name === undefined ? {} : { name }) }, options.limits);
  refuseCodeName(processed.slug);
  const { spec, created } = await store.save(processed.slug, processed.hash, (version) => ({ ...processed.spec, version }), {
    documentBytes: documentBytes(document),
    maxVersions: options.maxVersions,
  });
  // A version stored before warnings existed has none recorded: this run's are the same document's.
  return resultOf(processed.slug, spec, created, spec.warnings ?? processed.spec.warnings ?? [], started);
}

function resultOf(slug: string, spec: ImportedSpec, created: boolean, warnings: ImportIssue[], started: number): ImportResult {
  return {
    application: applicationName(slug, spec.version),
    slug,
    version: spec.version,
    title: spec.title,
    actions: spec.actions.length,
    created,
    unsupported: spec.unsupported,
    warnings,
    durationMs: Math.round(performance.now() - started),
  };
}

/**
 * The version this exact document already is, found without processing it, so a document sent
 * again costs a lookup instead of a worker run. The worker identifies a document by the SHA-256 of
 * its parsed form as JSON; for a JSON object, or JSON text, that is computed here too (parsing JSON
 * is linear: no more work than the API's body parser has done already). YAML is left to the
 * worker, as its aliases can expand. What is not found here takes the full path, which finds it by
 * the same hash after processing. So does a strict import of a version stored with warnings:
 * strict may refuse that document.
 */
async function findVersion(store: ImportedApplicationStore, document: string | object, name: string | undefined, strict: boolean): Promise<{ slug: string; spec: ImportedSpec } | undefined> {
  let parsed: unknown;
  let hash: string;
  try {
    parsed = typeof document !== 'string' ? document : document.trimStart().startsWith('{') ? JSON.parse(document) : undefined;
    if (!isObject(parsed)) return undefined;
    hash = createHash('sha256').update(JSON.stringify(parsed)).digest('hex');
  } catch {
    return undefined; // not JSON after all, or nested too deep to write back: the worker will say what it is
  }
  const title = isObject(parsed.info) ? parsed.info.title : undefined;
  const slug = name ?? slugFrom(typeof title === 'string' ? title : '');
  refuseCodeName(slug);
  const spec = await store.find(slug, hash);
  // Stored before warnings were recorded counts as having some.
  if (!spec || (strict && (spec.warnings?.length ?? 1) > 0)) return undefined;
  return { slug, spec };
}
