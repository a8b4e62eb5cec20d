/**
 * Caps on POST /applications/import, so that a flood of documents can neither fill the store nor
 * keep the import worker busy: versions per application (IMPORT_MAX_VERSIONS, default 50) and
 * bytes over a rolling 24 hours across all imports (IMPORT_MAX_BYTES_PER_DAY, default 100 MiB),
 * counted from what the store holds and, for bytes, from the imports in progress and those that
 * stored nothing (ImportBudget). Read from the environment at each request, so a change needs no
 * restart (and a test can set its own).
 */
import type { Env } from '../../runtime/config/environment';
export interface ImportCaps {
  maxVersions: number;
  maxBytesPerDay: number;
}

export const IMPORT_WINDOW_MS = 24 * 60 * 60_000;

const DEFAULTS: ImportCaps = { maxVersions: 50, maxBytesPerDay: 100 * 1024 * 1024 };

export function importCapsFromEnv(env: Env): ImportCaps {
  return {
    maxVersions: positiveInteger(env, 'IMPORT_MAX_VERSIONS') ?? DEFAULTS.maxVersions,
    maxBytesPerDay: positiveInteger(env, 'IMPORT_MAX_BYTES_PER_DAY') ?? DEFAULTS.maxBytesPerDay,
  };
}

function positiveInteger(env: Env, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not "${text}"`);
  return value;
}

/**
 * Seconds until `incoming` more bytes fit in the window, given the imports in it (oldest first):
 * 0 when they fit now. The oldest imports leave the window first; the answer is when enough of
 * them have. `incoming` must itself fit in the cap.
 */
export function secondsUntilFits(imports: ImportEntry[], incoming: number, maxBytes: number, now: Date): number {
  let excess = imports.reduce((sum, entry) => sum + entry.bytes, 0) + incoming - maxBytes;
  if (excess <= 0) return 0;
  for (const entry of imports) {
    excess -= entry.bytes;
    if (excess <= 0) return Math.max(1, Math.ceil((entry.createdAt.getTime() + IMPORT_WINDOW_MS - now.getTime()) / 1000));
  }
  return Math.ceil(IMPORT_WINDOW_MS / 1000); // not reached while incoming fits the cap
}

/** Imports within this much of each other are kept as one ledger entry; see ImportBudget. */
const MERGE_MS = 60_000;

export interface ImportEntry {
  bytes: number;
  createdAt: Date;
}

/** A reservation of bytes in the window for one import, ended once with what became of it. */
export interface ImportReservation {
  /**
   * `stored`: a new version, which the store counts from now on. `attempted`: the document was
   * processed but nothing was stored (refused, failed, or a version found only after processing):
   * its bytes stay counted for the window, so a failing document (a `$ref` bomb up to the time
   * limit) cannot be sent again and again for free. `unused`: nothing was processed.
   */
  end(outcome: 'stored' | 'attempted' | 'unused'): void;
}

export type ReserveResult = { reservation: ImportReservation } | { retryAfterSeconds: number; usedBytes: number };

/**
 * The byte cap over what the store counts (stored versions) and what it cannot: imports being
 * processed and imports processed without storing anything. The incoming bytes are reserved
 * before processing, so concurrent imports cannot all pass a check that none of them has yet
 * counted in. Reserving (reading the store, checking, reserving) and ending take turns: an import
 * stored and ended between another's read and its check would be counted by neither.
 *
 * In memory, in one API process: the API runs as one process (one Express app even with
 * ADMIN_PORT), so this sees every import. Several API processes would each keep their own ledger
 * and together allow more; failed attempts are also forgotten on restart.
 */
export class ImportBudget {
  private readonly pending = new Set<{ bytes: number }>();
  /** Oldest first. Attempts within MERGE_MS of an entry's first are added to it, so a flood keeps at most one entry a minute. */
  private attempts: Array<ImportEntry & { firstAt: number }> = [];
  private turn: Promise<unknown> = Promise.resolve();

  /** `stored`: the imports the store holds since a time, oldest first. */
  constructor(private readonly stored: (since: Date) => Promise<ImportEntry[]>) {}

  reserve(bytes: number, maxBytes: number): Promise<ReserveResult> {
    return this.inTurn(async () => {
      const now = new Date();
      const since = new Date(now.getTime() - IMPORT_WINDOW_MS);
      const stored = await this.stored(since);
      this.attempts = this.attempts.filter((entry) => entry.createdAt > since);
      // Pending imports end at the earliest now, so they leave the window last.
      const window = [...stored, ...this.attempts].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).concat([...this.pending].map((entry) => ({ bytes: entry.bytes, createdAt: now })));
      const retryAfterSeconds = secondsUntilFits(window, bytes, maxBytes, now);
      if (retryAfterSeconds > 0) return { retryAfterSeconds, usedBytes: window.reduce((sum, entry) => sum + entry.bytes, 0) };
      const entry = { bytes };
      this.pending.add(entry);
      const end = (outcome: 'stored' | 'attempted' | 'unused') =>
        void this.inTurn(async () => {
          if (!this.pending.delete(entry)) return; // ended already
          if (outcome === 'attempted') this.addAttempt(bytes, new Date());
        });
      return { reservation: { end } };
    });
  }

  /** What this ledger counts besides the store: pending imports and attempts in the window. */
  ledgerBytes(now = new Date()): number {
    const since = now.getTime() - IMPORT_WINDOW_MS;
    const attempts = this.attempts.filter((entry) => entry.createdAt.getTime() > since);
    return [...this.pending, ...attempts].reduce((sum, entry) => sum + entry.bytes, 0);
  }

  private addAttempt(bytes: number, at: Date): void {
    const last = this.attempts.at(-1);
    // The merged entry leaves the window with its latest attempt: late by under a minute, never early.
    if (last && at.getTime() - last.firstAt < MERGE_MS) {
      last.bytes += bytes;
      last.createdAt = at;
    } else {
      this.attempts.push({ bytes, createdAt: at, firstAt: at.getTime() });
    }
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(work);
    this.turn = run.catch(() => undefined);
    return run;
  }
}
