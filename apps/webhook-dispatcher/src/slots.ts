/**
 * At most `size` tasks run at once; the others wait their turn in arrival order. The dispatcher
 * holds many queue items at a time (a batch carries several deliveries), so the number of
 * requests in flight is bounded here rather than by BullMQ's concurrency.
 */
export class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`slots: size must be ≥ 1`);
    this.free = size;
  }

  /** Tasks running now. */
  get busy(): number {
    return this.size - this.free;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((take) => this.waiting.push(take));
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next in line, so a newcomer cannot overtake it.
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
