/**
 * Imported OpenAPI applications, one immutable row per version. Importing a changed document adds
 * a version; importing the same document again returns the version it already has. Each row keeps
 * the size of its document, so the API's caps (versions per application, bytes per day) are
 * counted from what is stored.
 */
import type { Kysely } from 'kysely';
import type { ImportedSpec } from '../connectors/openapi/spec';
import type { Database } from './schema';

export interface StoredImport {
  spec: ImportedSpec;
  created: boolean;
}

export interface SaveOptions {
  /** Size of the document, kept with the version. */
  documentBytes?: number;
  /** Refuse a new version (TooManyVersionsError) when the application already has this many. */
  maxVersions?: number;
}

/** A new version of `slug` would go over the cap; nothing was stored. */
export class TooManyVersionsError extends Error {
  constructor(
    readonly slug: string,
    readonly versions: number,
    readonly maxVersions: number,
  ) {
    super(`application ${slug} already has ${versions} versions, the most allowed (IMPORT_MAX_VERSIONS=${maxVersions}); nothing was stored`);
  }
}

/** A committed application's version is held in the store by another document (or this document by another version); nothing was stored. */
export class VersionConflictError extends Error {
  constructor(
    readonly slug: string,
    readonly version: number,
    detail: string,
  ) {
    super(`${slug}@v${version}: ${detail}`);
  }
}

export class ImportedApplicationStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores `build(version)` as the next version of `slug`, unless this document is already a version. */
  async save(slug: string, documentHash: string, build: (version: number) => ImportedSpec, options: SaveOptions = {}): Promise<StoredImport> {
    for (let attempt = 0; ; attempt++) {
      const existing = await this.find(slug, documentHash);
      if (existing) return { spec: existing, created: false };
      const latest = await this.db
        .selectFrom('imported_applications')
        .select((eb) => eb.fn.max('version').as('version'))
        .where('slug', '=', slug)
        .executeTakeFirst();
      const versions = Number(latest?.version ?? 0);
      // Versions imported through the API are numbered from 1 without gaps: the latest is how many there are.
      if (options.maxVersions !== undefined && versions >= options.maxVersions) throw new TooManyVersionsError(slug, versions, options.maxVersions);
      const version = versions + 1;
      const spec = build(version);
      try {
        await this.db
          .insertInto('imported_applications')
          .values({ slug, version, document_hash: documentHash, spec: JSON.stringify(spec), document_bytes: options.documentBytes ?? 0, created_at: new Date().toISOString() })
          .execute();
        return { spec, created: true };
      } catch (err) {
        // Two imports raced for the same version number: the primary key let one win; look again.
        if (attempt >= 3) throw err;
      }
    }
  }

  /**
   * Stores `spec` as version `version` of `slug`, the version a committed application's document
   * has in the repository (applications/<name>/versions.json), unless it is stored already.
   * The same document under another version, or another document under this version, is a
   * VersionConflictError. Idempotent, and safe when the worker and the API do it at once.
   */
  async saveAt(slug: string, version: number, documentHash: string, spec: ImportedSpec, options: Pick<SaveOptions, 'documentBytes'> = {}): Promise<StoredImport> {
    const check = async (): Promise<StoredImport | undefined> => {
      const existing = await this.find(slug, documentHash);
      if (existing && existing.version !== version) throw new VersionConflictError(slug, version, `the store holds this document as ${slug}@v${existing.version}`);
      return existing ? { spec: existing, created: false } : undefined;
    };
    const found = await check();
    if (found) return found;
    try {
      await this.db
        .insertInto('imported_applications')
        .values({ slug, version, document_hash: documentHash, spec: JSON.stringify(spec), document_bytes: options.documentBytes ?? 0, created_at: new Date().toISOString() })
        .execute();
      return { spec, created: true };
    } catch (err) {
      // Another process stored it meanwhile, or the version holds another document.
      const raced = await check();
      if (raced) return raced;
      if (await this.get(slug, version)) {
        throw new VersionConflictError(
          slug,
          version,
          'the store holds another document under this version (imported through the API before the application was committed, or from another branch of the repository); start on a data folder without it (DATA_DIR)',
        );
      }
      throw err;
    }
  }

  /** The version of `slug` that this document already is, if any. */
  async find(slug: string, documentHash: string): Promise<ImportedSpec | undefined> {
    const row = await this.db.selectFrom('imported_applications').select('spec').where('slug', '=', slug).where('document_hash', '=', documentHash).executeTakeFirst();
    return row ? (JSON.parse(row.spec) as ImportedSpec) : undefined;
  }

  async get(slug: string, version: number): Promise<ImportedSpec | undefined> {
    const row = await this.db.selectFrom('imported_applications').select('spec').where('slug', '=', slug).where('version', '=', version).executeTakeFirst();
    return row ? (JSON.parse(row.spec) as ImportedSpec) : undefined;
  }

  /** The versions stored since `since`, oldest first, with the size of their documents. */
  async importsSince(since: Date): Promise<Array<{ bytes: number; createdAt: Date }>> {
    const rows = await this.db.selectFrom('imported_applications').select(['document_bytes', 'created_at']).where('created_at', '>', since.toISOString()).orderBy('created_at').execute();
    return rows.map((row) => ({ bytes: Number(row.document_bytes), createdAt: new Date(row.created_at) }));
  }

  async list(): Promise<Array<{ slug: string; version: number; createdAt: string }>> {
    const rows = await this.db.selectFrom('imported_applications').select(['slug', 'version', 'created_at']).orderBy('slug').orderBy('version').execute();
    return rows.map((row) => ({ slug: row.slug, version: Number(row.version), createdAt: row.created_at }));
  }
}
