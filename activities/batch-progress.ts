/**
 * Which records of a batch are done, as the batch activity heartbeats it: a bitmap (base64), so
 * a retry sends only the records no earlier attempt finished, wherever in the batch they were.
 *
 * Heartbeat details outlive a deploy: the attempt that reads them may run on another worker
 * version than the one that wrote them, in either direction. So the format is versioned:
 * - v2 (written now): `{ v: 2, size, done }`;
 * - v1: `{ size, done }`, the same bitmap unversioned. v2 keeps v1's fields with their meaning, so a
 *   v1 worker still reads what a v2 worker wrote;
 * - v0: a count, "the first N are done".
 * A version this worker does not know, or details that do not fit the batch, count as nothing done:
 * the retry sends every record again, which applies once (idempotency keys), so misreading is the
 * only thing to avoid. A later version that changes what `size` or `done` mean must rename them,
 * so that v1 workers (which do not look at `v`) start over too instead of misreading.
 */
export const BATCH_PROGRESS_VERSION = 2;

/** v2, what `toDetails` writes. */
export interface BatchProgressDetails {
  v: typeof BATCH_PROGRESS_VERSION;
  size: number;
  /** Base64 of a bitmap: bit i of byte i >> 3 set when record i is done. */
  done: string;
}

/** v1, as workers before versioning wrote it. */
type BatchProgressDetailsV1 = Omit<BatchProgressDetails, 'v'>;

export class BatchProgress {
  private constructor(
    private readonly bits: Uint8Array,
    readonly size: number,
  ) {}

  /** Progress of a batch of `size` records, resumed from the last attempt's heartbeat details (any version). */
  static start(size: number, details: unknown): BatchProgress {
    const progress = new BatchProgress(new Uint8Array(Math.ceil(size / 8)), size);
    if (isCount(details)) {
      for (let i = 0; i < Math.min(details, size); i++) progress.markDone(i);
    } else if (isBitmap(details) && details.size === size) {
      const bits = Buffer.from(details.done, 'base64');
      // A bitmap of another length was not written for this batch.
      if (bits.length === progress.bits.length) progress.bits.set(bits);
    }
    return progress;
  }

  isDone(index: number): boolean {
    return (this.bits[index >> 3]! & (1 << (index & 7))) !== 0;
  }

  markDone(index: number): void {
    this.bits[index >> 3]! |= 1 << (index & 7);
  }

  pending(): number[] {
    return Array.from({ length: this.size }, (_, i) => i).filter((i) => !this.isDone(i));
  }

  toDetails(): BatchProgressDetails {
    return { v: BATCH_PROGRESS_VERSION, size: this.size, done: Buffer.from(this.bits).toString('base64') };
  }
}

/** v0. */
function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** v1 (no `v`) or v2: the same fields. Any other `v` is a format this worker cannot read. */
function isBitmap(value: unknown): value is BatchProgressDetailsV1 {
  if (typeof value !== 'object' || value === null) return false;
  const details = value as Partial<BatchProgressDetails> & { v?: unknown };
  if (details.v !== undefined && details.v !== BATCH_PROGRESS_VERSION) return false;
  return typeof details.size === 'number' && typeof details.done === 'string';
}
