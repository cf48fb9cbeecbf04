// A client's calls waiting for their answers, by call ID. Nearly always none or one (a
// heartbeat), so the first sits in a field and the rest in an array: a Map per client, with an
// entry added and deleted per call, keeps rehashing its table, and at 10^4 clients each of those
// tables (or an array's backing store, freed and grown again) is a cache miss per call.

/** The Map subset RpcClient uses, in call order. */
export class PendingCalls<P extends { readonly id: number }> {
  private first: P | undefined = undefined;
  private rest: P[] = [];

  get size(): number {
    return (this.first === undefined ? 0 : 1) + this.rest.length;
  }

  get(id: number): P | undefined {
    const f = this.first;
    if (f !== undefined && f.id === id) return f;
    for (const p of this.rest) if (p.id === id) return p;
    return undefined;
  }

  add(p: P): void {
    if (this.first === undefined && this.rest.length === 0) this.first = p;
    else this.rest.push(p);
  }

  delete(id: number): boolean {
    const f = this.first;
    if (f !== undefined && f.id === id) {
      this.first = this.rest.length > 0 ? this.rest.shift() : undefined;
      return true;
    }
    const i = this.rest.findIndex((p) => p.id === id);
    if (i < 0) return false;
    this.rest.splice(i, 1);
    return true;
  }

  /** A copy, in call order: callers may finish calls while they iterate. */
  list(): P[] {
    return this.first === undefined ? [] : [this.first, ...this.rest];
  }
}
