/**
 * Applications as code: an OpenAPI document committed under `applications/<name>/`
 * (`openapi.yaml`, `.yml` or `.json`), with an optional application file beside it
 * (`application.yaml` or `.json`, see application-file.ts), is imported when the system starts,
 * so every clone has the same application, `<name>@v<n>`.
 *
 * The version is the repository's, not the store's: `npm run generate` keeps
 * `applications/<name>/versions.json`, the version of every document (with its application file)
 * the application has had, by hash, under the import's own rule (the same document is the same
 * version, a changed one the next). Worker and API both import at start and agree, because they
 * read the version from that file; importing again is a lookup. A document changed without
 * `npm run generate` stops the start, naming the command, rather than importing a version nobody's
 * types know.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { ImportedApplicationStore } from '../../store/imported-application-store';
import { integrationOf } from '../catalog';
import { applyApplicationFile, parseApplicationFile, type ApplicationFile } from './application-file';
import { ImportError } from './errors';
import { parseText } from './load-document';
import { applicationName, type ImportedSpec } from './spec';

/** The repository: where `applications/` is, from the sources and from dist/. */
export const repositoryRoot = resolve(__dirname, '..', '..', __dirname.includes(join('dist', 'connectors')) ? '..' : '.');

const DOCUMENTS = ['openapi.yaml', 'openapi.yml', 'openapi.json'];
const APPLICATION_FILES = ['application.yaml', 'application.yml', 'application.json'];
/** Folders of applications/ that are the engine's. */
const NOT_APPLICATIONS = new Set(['framework']);
export const VERSIONS_FILE = 'versions.json';
export const TYPES_FILE = 'openapi.types.ts';

export interface CommittedApplication {
  /** The folder's name, which is the application's (its slug). */
  name: string;
  /** Relative to the repository, with `/`: `applications/inventory`. */
  folder: string;
  document: string;
  applicationFile?: string;
}

const posix = (path: string) => path.split('\\').join('/');

/** Every folder of applications/ holding an OpenAPI document, by name. */
export function committedApplications(root: string = repositoryRoot): CommittedApplication[] {
  const dir = join(root, 'applications');
  if (!existsSync(dir)) return [];
  const found: CommittedApplication[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || NOT_APPLICATIONS.has(entry.name)) continue;
    const folder = join(dir, entry.name);
    const documents = DOCUMENTS.filter((file) => existsSync(join(folder, file)));
    if (documents.length === 0) continue;
    const where = posix(relative(root, folder));
    if (documents.length > 1) throw new Error(`${where}/ holds ${documents.join(' and ')}: keep one OpenAPI document per application`);
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(entry.name)) throw new Error(`${where}/: an application folder is named in kebab-case (a-z, 0-9, -), like its application`);
    if (integrationOf(entry.name)) throw new Error(`${where}/: "${entry.name}" is the name of an application written in code (connectors/${entry.name}/); name the folder otherwise`);
    const applicationFiles = APPLICATION_FILES.filter((file) => existsSync(join(folder, file)));
    if (applicationFiles.length > 1) throw new Error(`${where}/ holds ${applicationFiles.join(' and ')}: keep one application file`);
    found.push({ name: entry.name, folder: where, document: `${where}/${documents[0]}`, ...(applicationFiles[0] ? { applicationFile: `${where}/${applicationFiles[0]}` } : {}) });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

let namesCache: { root: string; names: ReadonlySet<string> } | undefined;
/** The names of the committed applications (read once per process): an import through the API may not take one. */
export function committedApplicationNames(root: string = repositoryRoot): ReadonlySet<string> {
  if (namesCache?.root !== root) namesCache = { root, names: new Set(committedApplications(root).map((app) => app.name)) };
  return namesCache.names;
}

/** A committed application's files, read and parsed, and the hash that identifies them together. */
export interface CommittedSource {
  app: CommittedApplication;
  /** The document, parsed (not yet validated: the import does that). */
  document: Record<string, unknown>;
  documentBytes: number;
  file: ApplicationFile;
  /** SHA-256 of the document as JSON, with the application file's JSON when there is one. */
  hash: string;
}

export function readCommitted(app: CommittedApplication, root: string = repositoryRoot): CommittedSource {
  const text = readFileSync(join(root, app.document), 'utf8');
  const document = parseText(text);
  if (!document || typeof document !== 'object' || Array.isArray(document)) throw new Error(`${app.document}: not an OpenAPI document (an object)`);
  // The same identity the import gives a document (process-document.ts), so a version is one document.
  let hash = createHash('sha256').update(JSON.stringify(document)).digest('hex');
  let file: ApplicationFile = {};
  if (app.applicationFile) {
    const value = parseText(readFileSync(join(root, app.applicationFile), 'utf8'));
    file = parseApplicationFile(value, app.applicationFile);
    hash = createHash('sha256')
      .update(`${hash}\n${JSON.stringify(value)}`)
      .digest('hex');
  }
  return { app, document: document as Record<string, unknown>, documentBytes: Buffer.byteLength(text), file, hash };
}

/** `versions.json`: the version of each document (and application file) the application has had. */
export interface VersionsFile {
  '//': string;
  versions: Array<{ version: number; hash: string }>;
}

const VERSIONS_NOTE = 'Written by `npm run generate`: the version of each OpenAPI document (with its application file) this application has had, by hash. Commit it; do not edit.';

export function readVersions(app: CommittedApplication, root: string = repositoryRoot): VersionsFile {
  const path = join(root, app.folder, VERSIONS_FILE);
  if (!existsSync(path)) return { '//': VERSIONS_NOTE, versions: [] };
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<VersionsFile>;
  const versions = Array.isArray(parsed.versions) ? parsed.versions.filter((v) => Number.isInteger(v?.version) && typeof v?.hash === 'string') : [];
  return { '//': VERSIONS_NOTE, versions };
}

/** The versions with `hash` in them: its version if it had one, else the next. */
export function withVersionOf(versions: VersionsFile, hash: string): { versions: VersionsFile; version: number } {
  const known = versions.versions.find((v) => v.hash === hash);
  if (known) return { versions, version: known.version };
  const version = Math.max(0, ...versions.versions.map((v) => v.version)) + 1;
  return { versions: { ...versions, versions: [...versions.versions, { version, hash }] }, version };
}

/** The application file and document changed without `npm run generate`; the start stops here. */
export class StaleCommittedApplicationError extends Error {}

/** The spec of `version`: the document imported (in this process: it is the repository's own) and the application file applied. */
export async function committedSpec(source: CommittedSource, version: number): Promise<ImportedSpec> {
  // Loaded only when a version is new: a start that finds every version stored parses no document.
  const { processDocument } = await import('./process-document');
  let processed: Awaited<ReturnType<typeof processDocument>>;
  try {
    processed = await processDocument({ document: source.document, name: source.app.name, strict: false });
  } catch (err) {
    if (err instanceof ImportError) throw new ImportError(`${source.app.document}: ${err.message}`, err.issues);
    throw err;
  }
  return applyApplicationFile({ ...processed.spec, version }, source.file, source.app.applicationFile);
}

export interface CommittedImport {
  application: string;
  /** False when the store held this version already: the start did nothing for it. */
  created: boolean;
}

/**
 * Imports every committed application at the version versions.json gives it. Throws, naming the
 * file and the fix, for a document changed since `npm run generate`, an application file the
 * import cannot use, or a store that holds the version as another document.
 */
export async function importCommittedApplications(store: ImportedApplicationStore, root: string = repositoryRoot): Promise<CommittedImport[]> {
  const results: CommittedImport[] = [];
  for (const app of committedApplications(root)) {
    const source = readCommitted(app, root);
    const version = readVersions(app, root).versions.find((v) => v.hash === source.hash)?.version;
    if (version === undefined) {
      throw new StaleCommittedApplicationError(
        `${app.document}${app.applicationFile ? ` (or ${app.applicationFile})` : ''} changed since \`npm run generate\` wrote ${app.folder}/${VERSIONS_FILE} and ${app.folder}/${TYPES_FILE}: run it (npm run build and npm test do) and commit what it writes`,
      );
    }
    const name = applicationName(app.name, version);
    if ((await store.find(app.name, source.hash))?.version === version) {
      results.push({ application: name, created: false });
      continue;
    }
    const { created } = await store.saveAt(app.name, version, source.hash, await committedSpec(source, version), { documentBytes: source.documentBytes });
    results.push({ application: name, created });
  }
  return results;
}

/** The committed applications whose application file declares a rate limit: the groups the workflows' manifest lists beside the code-defined ones. */
export function committedRateLimitedGroups(root: string = repositoryRoot): string[] {
  return committedApplications(root)
    .filter((app) => readCommitted(app, root).file.rateLimit !== undefined)
    .map((app) => app.name);
}
