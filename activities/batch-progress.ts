/**
 * Which records of a batch are done, as the batch activity heartbeats it: a bitmap (base64), so
 * a retry sends only the records no earlier attempt finished, wherever in the batch they were.
 * A count (the format of earlier workers) still reads as "the first N are done".
 */
export class BatchProgress {
  private constructor(private readonly bits: Uint8Array, readonly size: number) {}

  static start(size: number, details: unknown): BatchProgress {
    const progress = new BatchProgress(new Uint8Array(Math.ceil(size / 8)), size);
    if (typeof details === 'number') {
      for (let i = 0; i < Math.min(details, size); i++) progress.markDone(i);
    } else if (isDetails(details) && details.size === size) {
      progress.bits.set(Buffer.from(details.done, 'base64').subarray(0, progress.bits.length));
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
    return { size: this.size, done: Buffer.from(this.bits).toString('base64') };
  }
}

export interface BatchProgressDetails {
  size: number;
  done: string;
}

function isDetails(value: unknown): value is BatchProgressDetails {
  return typeof value === 'object' && value !== null && typeof (value as BatchProgressDetails).size === 'number' && typeof (value as BatchProgressDetails).done === 'string';
}
