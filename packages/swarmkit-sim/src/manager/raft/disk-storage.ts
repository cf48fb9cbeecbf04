// Raft's durable state on a machine's simulated disk, laid out as SwarmKit's raft directory
// is in spirit: the hard state, a write-ahead log of entries, and the latest snapshot.
//
// The WAL is append-only: an entry written at an index that is already in the log replaces it
// and everything after it (a new leader overwrote an uncommitted suffix), which load()
// resolves. A snapshot rewrites the WAL with only the entries after it (or, for one received
// from the leader, with none). Nothing here syncs on its own: the host calls sync() before
// sending the messages of the same Ready.
import type { Entry, HardState, PersistentState, Snapshot } from "@swarm-sim/raft";
import type { Disk } from "../../kernel/disk";

export const DEFAULT_RAFT_DIR = "/var/lib/docker/swarm/raft/";

export class RaftDiskStorage {
  private readonly hardPath: string;
  private readonly walPath: string;
  private readonly snapPath: string;

  constructor(
    private readonly disk: Disk,
    dir: string = DEFAULT_RAFT_DIR,
  ) {
    this.hardPath = `${dir}hardstate`;
    this.walPath = `${dir}wal`;
    this.snapPath = `${dir}snap`;
  }

  /** Is there anything to restart from? */
  exists(): boolean {
    return (
      this.disk.exists(this.hardPath) || this.disk.exists(this.snapPath) || this.disk.exists(this.walPath)
    );
  }

  load(): PersistentState | undefined {
    if (!this.exists()) return undefined;
    const hardState = (this.disk.read(this.hardPath) as HardState | undefined) ?? {
      term: 0,
      vote: 0,
      commit: 0,
    };
    const snapshot = this.disk.read(this.snapPath) as Snapshot | undefined;
    return {
      hardState: { ...hardState },
      snapshot,
      entries: this.entriesAfter(snapshot?.metadata.index ?? 0),
    };
  }

  /** The WAL's entries after `index`, with overwritten suffixes resolved (see resolveWal). */
  private entriesAfter(index: number): Entry[] {
    return resolveWal(this.disk.readLog(this.walPath) as Entry[], index);
  }

  saveHardState(h: HardState): void {
    this.disk.write(this.hardPath, h);
  }

  appendEntries(entries: readonly Entry[]): void {
    for (const e of entries) this.disk.append(this.walPath, e);
  }

  /** A snapshot taken here: keep it, and drop the part of the WAL it covers. */
  saveSnapshot(s: Snapshot): void {
    const keep = this.entriesAfter(s.metadata.index);
    this.disk.write(this.snapPath, s);
    this.disk.remove(this.walPath);
    for (const e of keep) this.disk.append(this.walPath, e);
  }

  /**
   * A snapshot received from the leader replaces the whole log: whatever the WAL held after
   * it may belong to another history.
   */
  installSnapshot(s: Snapshot): void {
    this.disk.write(this.snapPath, s);
    this.disk.remove(this.walPath);
  }

  sync(): void {
    this.disk.fsync();
  }

  /** How many records the WAL holds (tests look at compaction with it). */
  walLength(): number {
    return this.disk.readLog(this.walPath).length;
  }
}

/**
 * The log a WAL of appended entries stands for, keeping only entries after `index`. A record
 * at or below `index` still truncates what follows it (an entry the new leader rewrote at 129
 * removes the old 130, 131, ...), so the whole WAL is resolved first and filtered after.
 * (Shared with the manager's encrypted storage, manager/raft-storage.ts.)
 */
export function resolveWal(records: readonly Entry[], index: number): Entry[] {
  const out: Entry[] = [];
  for (const e of records) {
    while (out.length > 0 && out[out.length - 1].index >= e.index) out.pop();
    out.push(e);
  }
  let from = 0;
  while (from < out.length && out[from].index <= index) from++;
  return from === 0 ? out : out.slice(from);
}
