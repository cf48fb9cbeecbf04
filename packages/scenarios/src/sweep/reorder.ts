// Results come back from the threads in any order; a sweep prints them in task order. The
// reorder buffer holds each result until every one before it has come, then releases the run
// of consecutive results it completes.
export class ReorderBuffer<T> {
  private readonly waiting = new Map<number, T>();
  private next = 0;

  constructor(private readonly release: (index: number, value: T) => void) {}

  /** The index the buffer waits for (every earlier one has been released). */
  get waitingFor(): number {
    return this.next;
  }

  put(index: number, value: T): void {
    if (index < this.next || this.waiting.has(index)) throw new Error(`result ${index} came twice`);
    this.waiting.set(index, value);
    while (this.waiting.has(this.next)) {
      const v = this.waiting.get(this.next) as T;
      this.waiting.delete(this.next);
      this.release(this.next++, v);
    }
  }
}
