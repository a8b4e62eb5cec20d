/**
 * The store's channel read, the one every webhook and every connector call makes: `channels.get`
 * through kysely's own SQLite driver (a statement prepared on every query) against the store as it
 * opens (prepared statements kept, store/statement-cache.ts), on the same file, alternating rounds.
 * Ratio = reads/s as the store opens ÷ reads/s through the plain driver.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { ChannelStore } from '../store/channel-store';
import { CredentialCipher, generateKey, parseKeys } from '../store/credential-cipher';
import { openDatabase } from '../store/database';
import type { Database } from '../store/schema';

export async function storeReads(reads = Number(process.env.BENCH_STORE_READS ?? 20_000)) {
  const file = join(mkdtempSync(join(tmpdir(), 'engine-bench-reads-')), 'engine.sqlite');
  const cipher = new CredentialCipher(parseKeys(generateKey('bench')));
  const kept = await openDatabase({ kind: 'sqlite', file });
  const plain = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
  try {
    const keptSide = { name: 'statements kept (the store as it opens)', store: new ChannelStore(kept, cipher), best: 0 };
    const plainSide = { name: "prepared on every query (kysely's driver)", store: new ChannelStore(plain, cipher), best: 0 };
    const sides = [keptSide, plainSide];
    const { id } = await keptSide.store.create({
      application: 'demo-crm',
      name: 'bench',
      settings: { baseUrl: 'http://127.0.0.1:1' },
      credentials: { apiKey: 'bench-key' },
      enabled: true,
      authStatus: 'configured',
    });
    for (let round = 0; round < 4; round++) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        const started = process.hrtime.bigint();
        for (let i = 0; i < reads; i++) if (!(await side.store.get(id))) throw new Error('the channel vanished');
        side.best = Math.max(side.best, reads / (Number(process.hrtime.bigint() - started) / 1e9));
      }
    }
    const rows = sides.map(({ name, best }) => ({ 'channels.get': name, 'reads/s': Math.round(best), 'µs per read': Number((1e6 / best).toFixed(1)) }));
    return { rows, result: { reads, perSecond: Object.fromEntries(sides.map(({ name, best }) => [name, best])), ratio: keptSide.best / plainSide.best } };
  } finally {
    await kept.destroy();
    await plain.destroy();
  }
}
