/**
 * Imported OpenAPI applications, one immutable row per version. Importing a changed document adds
 * a version; importing the same document again returns the version it already has.
 */
import type { Kysely } from 'kysely';
import type { ImportedSpec } from '../connectors/openapi/spec';
import type { Database } from './schema';

export interface StoredImport {
  spec: ImportedSpec;
  created: boolean;
}

export class ImportedApplicationStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores `build(version)` as the next version of `slug`, unless this document is already a version. */
  async save(slug: string, documentHash: string, build: (version: number) => ImportedSpec): Promise<StoredImport> {
    for (let attempt = 0; ; attempt++) {
      const existing = await this.db.selectFrom('imported_applications').select('spec').where('slug', '=', slug).where('document_hash', '=', documentHash).executeTakeFirst();
      if (existing) return { spec: JSON.parse(existing.spec) as ImportedSpec, created: false };
      const latest = await this.db.selectFrom('imported_applications').select((eb) => eb.fn.max('version').as('version')).where('slug', '=', slug).executeTakeFirst();
      const version = Number(latest?.version ?? 0) + 1;
      const spec = build(version);
      try {
        await this.db.insertInto('imported_applications').values({ slug, version, document_hash: documentHash, spec: JSON.stringify(spec), created_at: new Date().toISOString() }).execute();
        return { spec, created: true };
      } catch (err) {
        // Two imports raced for the same version number: the primary key let one win; look again.
        if (attempt >= 3) throw err;
      }
    }
  }

  async get(slug: string, version: number): Promise<ImportedSpec | undefined> {
    const row = await this.db.selectFrom('imported_applications').select('spec').where('slug', '=', slug).where('version', '=', version).executeTakeFirst();
    return row ? (JSON.parse(row.spec) as ImportedSpec) : undefined;
  }

  async list(): Promise<Array<{ slug: string; version: number; createdAt: string }>> {
    const rows = await this.db.selectFrom('imported_applications').select(['slug', 'version', 'created_at']).orderBy('slug').orderBy('version').execute();
    return rows.map((row) => ({ slug: row.slug, version: Number(row.version), createdAt: row.created_at }));
  }
}
