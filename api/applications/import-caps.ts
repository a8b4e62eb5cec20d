/**
 * Caps on POST /applications/import, so that a flood of documents can neither fill the store nor
 * keep the import worker busy: versions per application (IMPORT_MAX_VERSIONS, default 50) and
 * bytes over a rolling 24 hours across all imports (IMPORT_MAX_BYTES_PER_DAY, default 100 MiB),
 * both counted from what the store holds. Read from the environment at each request, so a change
 * needs no restart (and a test can set its own).
 */
export interface ImportCaps {
  maxVersions: number;
  maxBytesPerDay: number;
}

export const IMPORT_WINDOW_MS = 24 * 60 * 60_000;

const DEFAULTS: ImportCaps = { maxVersions: 50, maxBytesPerDay: 100 * 1024 * 1024 };

export function importCapsFromEnv(env: NodeJS.ProcessEnv = process.env): ImportCaps {
  return {
    maxVersions: positiveInteger(env, 'IMPORT_MAX_VERSIONS') ?? DEFAULTS.maxVersions,
    maxBytesPerDay: positiveInteger(env, 'IMPORT_MAX_BYTES_PER_DAY') ?? DEFAULTS.maxBytesPerDay,
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
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
export function secondsUntilFits(imports: Array<{ bytes: number; createdAt: Date }>, incoming: number, maxBytes: number, now: Date): number {
  let excess = imports.reduce((sum, entry) => sum + entry.bytes, 0) + incoming - maxBytes;
  if (excess <= 0) return 0;
  for (const entry of imports) {
    excess -= entry.bytes;
    if (excess <= 0) return Math.max(1, Math.ceil((entry.createdAt.getTime() + IMPORT_WINDOW_MS - now.getTime()) / 1000));
  }
  return Math.ceil(IMPORT_WINDOW_MS / 1000); // not reached while incoming fits the cap
}
