// A binary min-heap of candidate nodes for one task group, best node on top. "Best" is
// SwarmKit's nodeLess: a node with many recent failures of this service loses; then fewer
// active tasks of this service; then fewer active tasks in total. Remaining ties go to the
// lower node ID (SwarmKit leaves them to Go's map order; we keep runs reproducible).
import type { NodeInfo } from "./node-info";
import { MAX_FAILURES } from "./node-info";

export interface Candidate {
  info: NodeInfo;
  /** Active tasks of the group's service on the node (kept here: compared on every step). */
  serviceTasks: number;
  failures: number;
}

export function candidateLess(a: Candidate, b: Candidate): boolean {
  const af = a.failures >= MAX_FAILURES;
  const bf = b.failures >= MAX_FAILURES;
  if ((af || bf) && a.failures !== b.failures) return a.failures < b.failures;
  if (a.serviceTasks !== b.serviceTasks) return a.serviceTasks < b.serviceTasks;
  if (a.info.active !== b.info.active) return a.info.active < b.info.active;
  return a.info.id < b.info.id;
}

export class NodeHeap {
  private readonly items: Candidate[] = [];

  get size(): number {
    return this.items.length;
  }

  static from(cands: Candidate[]): NodeHeap {
    const h = new NodeHeap();
    h.items.push(...cands);
    for (let i = (h.items.length >> 1) - 1; i >= 0; i--) h.down(i);
    return h;
  }

  push(c: Candidate): void {
    this.items.push(c);
    this.up(this.items.length - 1);
  }

  /** The best candidate, left in place. */
  peek(): Candidate | undefined {
    return this.items[0];
  }

  pop(): Candidate | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const items = this.items;
    const it = items[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!candidateLess(it, items[p])) break;
      items[i] = items[p];
      i = p;
    }
    items[i] = it;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const it = items[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && candidateLess(items[c + 1], items[c])) c++;
      if (!candidateLess(items[c], it)) break;
      items[i] = items[c];
      i = c;
    }
    items[i] = it;
  }
}
