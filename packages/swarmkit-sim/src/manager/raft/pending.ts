// Requests waiting on raft: proposals (until their entry is applied here), ReadIndex reads
// (until the read point is known and applied here), membership changes and leadership
// transfers. Each has a deadline on the machine's clock, and each settles exactly once.
import type { Timer } from "../../kernel/event-queue";
import type { Machine } from "../../kernel/machine";
import { ErrTimeout, RaftHostError } from "./errors";

export type Done<T = unknown> = (err: Error | null, result?: T) => void;

export interface PendingRequest {
  done: Done;
  timer: Timer;
  /** Made while this node led: losing leadership fails it (SwarmKit cancels such waits). */
  asLeader: boolean;
  /** For reads: the read point, once the leader answered. */
  readIndex?: number;
}

export class PendingRequests {
  private readonly map = new Map<string, PendingRequest>();

  constructor(private readonly machine: Machine) {}

  add(
    key: string,
    done: Done,
    timeoutMs: number,
    asLeader: boolean,
    timeoutMessage = ErrTimeout,
  ): PendingRequest {
    const timer = this.machine.after(timeoutMs, () => this.fail(key, new RaftHostError(timeoutMessage)));
    const p: PendingRequest = { done, timer, asLeader };
    this.map.set(key, p);
    return p;
  }

  get(key: string): PendingRequest | undefined {
    return this.map.get(key);
  }

  resolve(key: string, result?: unknown): boolean {
    const p = this.map.get(key);
    if (!p) return false;
    this.map.delete(key);
    p.timer.cancel();
    p.done(null, result);
    return true;
  }

  fail(key: string, err: Error): boolean {
    const p = this.map.get(key);
    if (!p) return false;
    this.map.delete(key);
    p.timer.cancel();
    p.done(err);
    return true;
  }

  /** Fails every request matching `pred` (in the order they were made). */
  failWhere(pred: (p: PendingRequest) => boolean, err: Error): void {
    for (const [key, p] of [...this.map]) if (pred(p)) this.fail(key, err);
  }

  /** Settles every read whose read point is applied. */
  resolveReads(applied: number): void {
    for (const [key, p] of [...this.map])
      if (p.readIndex !== undefined && p.readIndex <= applied) this.resolve(key);
  }

  resolveAll(): void {
    for (const key of [...this.map.keys()]) this.resolve(key);
  }

  failAll(err: Error): void {
    this.failWhere(() => true, err);
  }

  size(): number {
    return this.map.size;
  }
}
