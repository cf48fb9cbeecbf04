// The in-memory Raft log: entries after the compaction point, which of them the host has
// persisted ("stable"), the commit and applied indexes, and the latest snapshot. The host
// keeps its own durable copy from the Ready batches; this is the node's view of it.
import type { Entry, Snapshot } from "./types";

/** term() of an index the log cannot answer for (compacted away, or beyond the end). */
export const UNKNOWN_TERM = -1;

export class RaftLog {
  /** ents[k] has index offset + 1 + k. */
  private ents: Entry[] = [];
  /** Index and term of the entry just before ents[0] (the compaction point; 0/0 for a new log). */
  offset = 0;
  offsetTerm = 0;
  /** Entries up to here were handed to the host and acknowledged (advance) as persisted. */
  stable = 0;
  committed = 0;
  applied = 0;
  /** The latest snapshot (created here, or received), for followers that fell behind. */
  snapshot: Snapshot | undefined;
  /** A snapshot received from the leader and not yet handed to the host. */
  pendingSnapshot: Snapshot | undefined;

  /** Rebuilds the log from what the host persisted. */
  static restore(snapshot: Snapshot | undefined, entries: readonly Entry[], commit: number): RaftLog {
    const log = new RaftLog();
    if (snapshot) {
      log.offset = snapshot.metadata.index;
      log.offsetTerm = snapshot.metadata.term;
      log.snapshot = snapshot;
    }
    for (const e of entries) {
      if (e.index <= log.offset) continue;
      if (e.index !== log.lastIndex() + 1)
        throw new Error(`raft: persisted entries are not contiguous at index ${e.index}`);
      log.ents.push(e);
    }
    log.stable = log.lastIndex();
    log.committed = Math.max(commit, log.offset);
    if (log.committed > log.lastIndex())
      throw new Error(`raft: persisted commit ${commit} is beyond the last index ${log.lastIndex()}`);
    log.applied = log.offset;
    return log;
  }

  firstIndex(): number {
    return this.offset + 1;
  }

  lastIndex(): number {
    return this.offset + this.ents.length;
  }

  lastTerm(): number {
    return this.ents.length > 0 ? this.ents[this.ents.length - 1].term : this.offsetTerm;
  }

  /** The term of entry i, or UNKNOWN_TERM when i is compacted or beyond the end. */
  term(i: number): number {
    if (i === this.offset) return this.offsetTerm;
    if (i < this.offset || i > this.offset + this.ents.length) return UNKNOWN_TERM;
    return this.ents[i - this.offset - 1].term;
  }

  matchTerm(i: number, term: number): boolean {
    return this.term(i) === term;
  }

  entry(i: number): Entry | undefined {
    return i > this.offset ? this.ents[i - this.offset - 1] : undefined;
  }

  /** Entries [lo, hi); lo must be >= firstIndex(). */
  slice(lo: number, hi: number): Entry[] {
    if (lo <= this.offset) throw new Error(`raft: slice from ${lo} but log is compacted to ${this.offset}`);
    hi = Math.min(hi, this.lastIndex() + 1);
    if (hi <= lo) return [];
    return this.ents.slice(lo - this.offset - 1, hi - this.offset - 1);
  }

  /** Up to `max` entries from lo, or undefined if lo is compacted (send a snapshot instead). */
  entriesFrom(lo: number, max: number): Entry[] | undefined {
    if (lo <= this.offset) return undefined;
    return this.slice(lo, lo + max);
  }

  /** Raft §5.4.1: is a candidate whose log ends at (index, term) at least as up to date as us? */
  isUpToDate(index: number, term: number): boolean {
    const lt = this.lastTerm();
    return term > lt || (term === lt && index >= this.lastIndex());
  }

  /** The index of the first entry that conflicts with ours (same index, other term), or 0. */
  findConflict(ents: readonly Entry[]): number {
    for (const e of ents) {
      if (e.index > this.offset && !this.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  /**
   * The largest index <= `index` whose term is <= `term` (or the compaction point). Used for
   * fast back-off: every index above it must be wrong for a log whose entry at `index` has term
   * `term`, so probing can skip a whole term at a time.
   */
  findConflictByTerm(index: number, term: number): number {
    if (index > this.lastIndex()) return index;
    let i = index;
    while (i > this.offset && this.term(i) > term) i--;
    return i;
  }

  /** Appends entries, first truncating any entries at or after the first one's index. */
  append(ents: readonly Entry[]): void {
    if (ents.length === 0) return;
    const first = ents[0].index;
    if (first <= this.committed)
      throw new Error(`raft: entry ${first} is out of range, committed ${this.committed}`);
    if (first > this.lastIndex() + 1)
      throw new Error(`raft: entry ${first} would leave a gap after ${this.lastIndex()}`);
    if (first <= this.lastIndex()) {
      this.ents.length = first - this.offset - 1;
      if (this.stable >= first) this.stable = first - 1;
    }
    for (const e of ents) this.ents.push(e);
  }

  /**
   * The follower side of AppendEntries: if our log has (index, logTerm), append what is new
   * and return the last index the message covers; otherwise return -1.
   */
  maybeAppend(index: number, logTerm: number, commit: number, ents: readonly Entry[]): number {
    if (!this.matchTerm(index, logTerm)) return -1;
    const lastNew = index + ents.length;
    const ci = this.findConflict(ents);
    if (ci !== 0) {
      if (ci <= this.committed)
        throw new Error(`raft: entry ${ci} conflicts with a committed entry (committed ${this.committed})`);
      this.append(ents.slice(ci - index - 1));
    }
    this.commitTo(Math.min(commit, lastNew));
    return lastNew;
  }

  commitTo(c: number): void {
    if (c <= this.committed) return;
    if (c > this.lastIndex())
      throw new Error(`raft: commit ${c} is out of range [lastIndex ${this.lastIndex()}]`);
    this.committed = c;
  }

  appliedTo(i: number): void {
    if (i === 0 || i <= this.applied) return;
    if (i > this.committed) throw new Error(`raft: applied ${i} is beyond committed ${this.committed}`);
    this.applied = i;
  }

  /** Entries the host has not yet acknowledged as persisted. */
  unstableEntries(): Entry[] {
    const from = Math.max(this.stable, this.offset) + 1;
    return from > this.lastIndex() ? [] : this.slice(from, this.lastIndex() + 1);
  }

  hasUnstable(): boolean {
    return this.lastIndex() > Math.max(this.stable, this.offset);
  }

  /** The host persisted entries up to (index, term); ignored if the log changed since. */
  stableTo(index: number, term: number): void {
    if (index > this.stable && this.matchTerm(index, term)) this.stable = index;
  }

  /** Committed entries not yet applied (none while a received snapshot is pending). */
  nextEnts(): Entry[] {
    if (this.pendingSnapshot) return [];
    const lo = Math.max(this.applied + 1, this.firstIndex());
    return this.committed >= lo ? this.slice(lo, this.committed + 1) : [];
  }

  hasNextEnts(): boolean {
    return !this.pendingSnapshot && this.committed > Math.max(this.applied, this.offset);
  }

  /** Replaces the whole log with a snapshot received from the leader. */
  restoreSnapshot(s: Snapshot): void {
    this.ents = [];
    this.offset = s.metadata.index;
    this.offsetTerm = s.metadata.term;
    this.stable = s.metadata.index;
    this.committed = s.metadata.index;
    this.snapshot = s;
    this.pendingSnapshot = s;
  }

  /** The host persisted and installed the pending snapshot. */
  snapshotInstalled(index: number): void {
    if (this.pendingSnapshot && this.pendingSnapshot.metadata.index === index) {
      this.pendingSnapshot = undefined;
      if (index > this.applied) this.applied = index;
    }
  }

  /** Discards entries up to and including i (i must be applied). */
  compact(i: number): void {
    if (i <= this.offset) return;
    if (i > this.applied) throw new Error(`raft: compact ${i} is beyond applied ${this.applied}`);
    this.offsetTerm = this.term(i);
    this.ents = this.ents.slice(i - this.offset);
    this.offset = i;
    if (this.stable < i) this.stable = i;
  }
}
