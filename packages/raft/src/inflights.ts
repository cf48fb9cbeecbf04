// Flow control: the last indexes of the append messages sent to one follower and not yet
// acknowledged. A ring buffer, so that acknowledging never shifts an array.
export class Inflights {
  private readonly buf: number[];
  private start = 0;
  count = 0;

  constructor(readonly capacity: number) {
    this.buf = new Array<number>(capacity).fill(0);
  }

  full(): boolean {
    return this.count === this.capacity;
  }

  /** Records an append message whose last entry is `last` (indexes must increase). */
  add(last: number): void {
    if (this.full()) throw new Error("raft: cannot add into a full inflights");
    this.buf[(this.start + this.count) % this.capacity] = last;
    this.count++;
  }

  /** Frees every message whose last index is <= to (the follower acknowledged up to `to`). */
  freeLE(to: number): void {
    while (this.count > 0 && this.buf[this.start] <= to) {
      this.start = (this.start + 1) % this.capacity;
      this.count--;
    }
    if (this.count === 0) this.start = 0;
  }

  /** Frees the oldest message (a heartbeat response shows the follower is alive). */
  freeFirstOne(): void {
    if (this.count === 0) return;
    this.start = (this.start + 1) % this.capacity;
    this.count--;
  }

  reset(): void {
    this.start = 0;
    this.count = 0;
  }
}
