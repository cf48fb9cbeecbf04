// A client's calls waiting for their answers, by call ID. Nearly always none or one (a
// heartbeat), so the first sits in a field and the rest in an array made only when a second
// call overlaps: a Map per client, with an entry added and deleted per call, keeps rehashing its
// table, and at 10^4 clients each of those tables (or an empty array kept per client) is a
// cache miss per call.

/** The Map subset RpcClient uses, in call order. */
export class PendingCalls<P extends { readonly id: number }> {
  private first: P | undefined = undefined;
  /** The calls after the first, in order (null when there are none). */
  private rest: P[] | null = null;

  get size(): number {
    return (this.first === undefined ? 0 : 1) + (this.rest === null ? 0 : this.rest.length);
  }

  get(id: number): P | undefined {
    const f = this.first;
    if (f !== undefined && f.id === id) return f;
    if (this.rest !== null) for (const p of this.rest) if (p.id === id) return p;
    return undefined;
  }

  add(p: P): void {
    if (this.first === undefined) this.first = p;
    else if (this.rest === null) this.rest = [p];
    else this.rest.push(p);
  }

  delete(id: number): boolean {
    const f = this.first;
    const rest = this.rest;
    if (f !== undefined && f.id === id) {
      this.first = rest === null ? undefined : rest.shift();
      if (rest !== null && rest.length === 0) this.rest = null;
      return true;
    }
    if (rest === null) return false;
    const i = rest.findIndex((p) => p.id === id);
    if (i < 0) return false;
    rest.splice(i, 1);
    if (rest.length === 0) this.rest = null;
    return true;
  }

  /** A copy, in call order: callers may finish calls while they iterate. */
  list(): P[] {
    if (this.first === undefined) return [];
    return this.rest === null ? [this.first] : [this.first, ...this.rest];
  }
}
