// Requests waiting on raft: proposals and membership changes (until their entry is applied
// here), ReadIndex reads (until the read point is known and applied here), and leadership
// transfers (until another member leads). Each has a deadline on the machine's clock and settles
// exactly once. They sit in the transport's PendingCalls list, by a number local to this start
// of the member; the log and the read contexts carry it as a request ID that also names the
// member and the start ("<raft id>.<start>.<n>"), so that requests from different members or
// starts never meet.
import type { Timer } from "../../kernel/event-queue";
import type { Machine } from "../../kernel/machine";
import type { GrpcError } from "../../transport/grpc-error";
import { PendingCalls } from "../../transport/pending-calls";
import { raftError } from "./errors";

export type Done<T = unknown> = (err: Error | null, result?: T) => void;

export type RequestKind = "proposal" | "read" | "transfer";

interface Waiter {
  readonly id: number;
  readonly kind: RequestKind;
  readonly done: Done;
  readonly timer: Timer;
  /** Made while this member led: losing leadership fails it (SwarmKit cancels such waits). */
  readonly asLeader: boolean;
  /** For a read: the read point once the leader answered (-1 until then). */
  readIndex: number;
}

export class Requests {
  private readonly waiting = new PendingCalls<Waiter>();
  private next = 0;

  constructor(
    private readonly machine: Machine,
    /** "<raft id>.<start>.": what request IDs of this start of the member begin with. */
    private readonly prefix: string,
  ) {}

  /** Waits for a request; returns its request ID. */
  add(kind: RequestKind, done: Done, timeoutMs: number, asLeader: boolean, timeoutMessage: string): string {
    const id = this.next++;
    const timer = this.machine.after(timeoutMs, () => this.settle(id, raftError(timeoutMessage)));
    this.waiting.add({ id, kind, done, timer, asLeader, readIndex: -1 });
    return `${this.prefix}${id}`;
  }

  /** The request with this ID, if this start of the member made it and it still waits. */
  private find(rid: unknown): Waiter | undefined {
    if (typeof rid !== "string" || !rid.startsWith(this.prefix)) return undefined;
    return this.waiting.get(Number(rid.slice(this.prefix.length)));
  }

  resolve(rid: unknown, result?: unknown): void {
    const w = this.find(rid);
    if (w) this.settle(w.id, null, result);
  }

  fail(rid: unknown, err: Error): void {
    const w = this.find(rid);
    if (w) this.settle(w.id, err);
  }

  /** The leader answered a read: it completes once this member has applied `index`. */
  readPoint(rid: unknown, index: number): void {
    const w = this.find(rid);
    if (w && w.kind === "read") w.readIndex = index;
  }

  /** Completes every read whose read point is applied. */
  resolveReads(applied: number): void {
    for (const w of this.waiting.list())
      if (w.kind === "read" && w.readIndex >= 0 && w.readIndex <= applied) this.settle(w.id, null);
  }

  resolveTransfers(): void {
    for (const w of this.waiting.list()) if (w.kind === "transfer") this.settle(w.id, null);
  }

  /** Fails what was asked while leading (leadership was lost). */
  failLeaderRequests(err: GrpcError): void {
    for (const w of this.waiting.list()) if (w.asLeader) this.settle(w.id, err);
  }

  failAll(err: GrpcError): void {
    for (const w of this.waiting.list()) this.settle(w.id, err);
  }

  size(): number {
    return this.waiting.size;
  }

  private settle(id: number, err: Error | null, result?: unknown): void {
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    w.timer.cancel();
    w.done(err, result);
  }
}
