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
    const sides = { 'statements kept (the store as it opens)': new ChannelStore(kept, cipher), "prepared on every query (kysely's driver)": new ChannelStore(plain, cipher) };
    const { id } = await sides['statements kept (the store as it opens)'].create({
      application: 'demo-crm',
      name: 'bench',
      settings: { baseUrl: 'http://127.0.0.1:1' },
      credentials: { apiKey: 'bench-key' },
      enabled: true,
      authStatus: 'configured',
    });
    const best = new Map<string, number>();
    for (let round = 0; round < 4; round++) {
      const order = round % 2 === 0 ? Object.entries(sides) : Object.entries(sides).reverse();
      for (const [name, store] of order) {
        const started = process.hrtime.bigint();
        for (let i = 0; i < reads; i++) if (!(await store.get(id))) throw new Error('the channel vanished');
        const perSecond = reads / (Number(process.hrtime.bigint() - started) / 1e9);
        best.set(name, Math.max(best.get(name) ?? 0, perSecond));
      }
    }
    const [keptRate, plainRate] = [...best.values()];
    const rows = [...best].map(([read, perSecond]) => ({ 'channels.get': read, 'reads/s': Math.round(perSecond), 'µs per read': Number((1e6 / perSecond).toFixed(1)) }));
    return { rows, result: { reads, perSecond: Object.fromEntries(best), ratio: keptRate! / plainRate! } };
  } finally {
    await kept.destroy();
    await plain.destroy();
  }
}
