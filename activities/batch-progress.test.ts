/**
 * The batch heartbeat format across worker versions: this worker reads what older workers wrote
 * (v0 counts, v1 unversioned bitmaps) and what it writes itself (v2), an older worker reads v2,
 * and details it cannot read count as nothing done rather than as the wrong records done.
 */
import { BATCH_PROGRESS_VERSION, BatchProgress } from './batch-progress';

const doneOf = (progress: BatchProgress) => Array.from({ length: progress.size }, (_, i) => i).filter((i) => progress.isDone(i));

/** A batch of 12 with records 0, 3 and 11 done, as this worker heartbeats it. */
function written(): ReturnType<BatchProgress['toDetails']> {
  const progress = BatchProgress.start(12, undefined);
  [0, 3, 11].forEach((i) => progress.markDone(i));
  return progress.toDetails();
}

/** The reader of the workers before versioning (v1), as it was: size must match, then the bitmap. */
function readAsV1Worker(size: number, details: unknown): number[] {
  const bits = new Uint8Array(Math.ceil(size / 8));
  const d = details as { size?: unknown; done?: unknown };
  if (typeof d === 'object' && d !== null && typeof d.size === 'number' && typeof d.done === 'string' && d.size === size) bits.set(Buffer.from(d.done, 'base64').subarray(0, bits.length));
  return Array.from({ length: size }, (_, i) => i).filter((i) => (bits[i >> 3]! & (1 << (i & 7))) !== 0);
}

it('writes v2: the version beside the v1 fields', () => {
  expect(written()).toEqual({ v: BATCH_PROGRESS_VERSION, size: 12, done: expect.any(String) });
  expect(BATCH_PROGRESS_VERSION).toBe(2);
});

it('reads v2 back', () => {
  expect(doneOf(BatchProgress.start(12, written()))).toEqual([0, 3, 11]);
});

it('reads v1, the unversioned bitmap of older workers', () => {
  const { size, done } = written();
  expect(doneOf(BatchProgress.start(12, { size, done }))).toEqual([0, 3, 11]);
});

it('reads v0, a count of records done from the start', () => {
  expect(doneOf(BatchProgress.start(12, 4))).toEqual([0, 1, 2, 3]);
  expect(doneOf(BatchProgress.start(3, 10))).toEqual([0, 1, 2]);
});

it('writes what a v1 worker reads the same way (a deploy rolled back mid-retry)', () => {
  expect(readAsV1Worker(12, written())).toEqual([0, 3, 11]);
});

it('counts nothing done for details it cannot read: no heartbeat, another batch size, a bitmap of the wrong length, an unknown version, junk', () => {
  const details = written();
  for (const unreadable of [undefined, null, { ...details, size: 13 }, { ...details, done: Buffer.alloc(5).fill(255).toString('base64') }, { ...details, v: 3 }, { v: 2 }, 'x', -1, 1.5, []]) {
    expect(doneOf(BatchProgress.start(12, unreadable))).toEqual([]);
  }
});

it('lists what is pending in order', () => {
  const progress = BatchProgress.start(5, { v: 2, size: 5, done: Buffer.from([0b10101]).toString('base64') });
  expect(progress.pending()).toEqual([1, 3]);
});
