/**
 * Deterministic randomness for the webhook fuzz: request #i is generated from (seed, i) alone, so a
 * failure names its seed and index and reproduces on its own.
 */
import { seededRandom } from '../chaos-proxy';

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    // seededRandom is mulberry32: tiny, fast, good enough for fuzzing, and the same sequence on every machine.
    this.next = seededRandom(seed);
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let at = this.next() * total;
    for (const [item, w] of items) {
      at -= w;
      if (at < 0) return item;
    }
    return items[items.length - 1]![0];
  }
  token(length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(256);
    return out;
  }
  /** Awkward text: emoji, right-to-left, zero-width, NUL, lone surrogates, combining marks. */
  oddText(): string {
    return this.pick(['💥', 'مرحبا', '\u200b', '\u0000', '\ud800', '\udfff', 'e\u0301', '\u202e', 'Ω≈ç√', '\ufeff', '\\', '"', '\u2028']).repeat(this.between(1, 20));
  }
}

/** Request #index's own generator: one request reproduces without generating the ones before it. */
export const caseSeed = (seed: number, index: number) => (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
