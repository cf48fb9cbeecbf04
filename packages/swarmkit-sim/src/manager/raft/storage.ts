// Raft's durable state on the machine's simulated disk, under SwarmKit's raft directory: the
// hard state, a write-ahead log of entries, the latest snapshot, and the member's identity
// (its raft ID, and how many times it has started).
//
// The WAL is append-only: an entry written at an index already in the log replaces it and
// everything after it (a new leader overwrote an uncommitted suffix), which load() resolves. A
// snapshot taken here rewrites the WAL with only the entries after it; one received from the
// leader replaces the whole log. Nothing here syncs on its own: the host calls sync() before
// it sends the messages of the same Ready.
//
// Under autolock every record is sealed with the data key (cipher.ts), as SwarmKit encrypts its
// WAL and snapshots; the identity stays in the clear, as SwarmKit's raft ID is.
import type { Entry, HardState, PersistentState, Snapshot } from "@swarm-sim/raft";
import type { EncryptedRecord } from "../../ca/autolock";
import type { Disk } from "../../kernel/disk";
import type { RaftCipher } from "./cipher";

export const DEFAULT_RAFT_DIR = "/var/lib/docker/swarm/raft/";

/** Raised when the data is encrypted and no (or the wrong) data key is at hand. */
export class RaftDataLockedError extends Error {
  constructor() {
    super("raft: cannot decrypt the raft data (the manager is locked)");
  }
}

/** Who this member is: written at its first start, read at every restart. */
export interface RaftIdentity {
  raftId: number;
  /** Starts so far, this one included (request IDs carry it, so two starts never share one). */
  starts: number;
}

export class RaftStorage {
  private readonly hardPath: string;
  private readonly walPath: string;
  private readonly snapPath: string;
  private readonly identityPath: string;

  constructor(
    private readonly disk: Disk,
    dir: string = DEFAULT_RAFT_DIR,
    private cipher: RaftCipher | null = null,
  ) {
    this.hardPath = `${dir}hardstate`;
    this.walPath = `${dir}wal`;
    this.snapPath = `${dir}snapshot`;
    this.identityPath = `${dir}member`;
  }

  /** Is there a log to restart from? */
  exists(): boolean {
    return this.disk.read(this.hardPath) !== undefined || this.disk.read(this.snapPath) !== undefined;
  }

  load(): PersistentState | undefined {
    if (!this.exists()) return undefined;
    const hardState = (this.open(this.disk.read(this.hardPath)) as HardState | undefined) ?? {
      term: 0,
      vote: 0,
      commit: 0,
    };
    const snapshot = this.open(this.disk.read(this.snapPath)) as Snapshot | undefined;
    return {
      hardState: { ...hardState },
      snapshot,
      entries: resolveWal(this.openWal(), snapshot?.metadata.index ?? 0),
    };
  }

  saveHardState(h: HardState): void {
    this.disk.write(this.hardPath, this.seal(h));
  }

  appendEntries(entries: readonly Entry[]): void {
    for (const e of entries) this.disk.append(this.walPath, this.seal(e));
  }

  /** A snapshot taken here: written, and the WAL rewritten without the entries it covers. */
  saveSnapshot(s: Snapshot): void {
    const keep = resolveWal(this.openWal(), s.metadata.index);
    this.disk.write(this.snapPath, this.seal(s));
    this.disk.remove(this.walPath);
    this.appendEntries(keep);
  }

  /**
   * A snapshot received from the leader replaces the whole log: whatever the WAL held after
   * it may belong to another history (raft sends the entries that follow it, if any).
   */
  installSnapshot(s: Snapshot): void {
    this.disk.write(this.snapPath, this.seal(s));
    this.disk.remove(this.walPath);
  }

  /** Replaces everything (force-new-cluster, a change of data key). */
  reset(p: PersistentState): void {
    this.disk.remove(this.walPath);
    if (p.snapshot) this.disk.write(this.snapPath, this.seal(p.snapshot));
    else this.disk.remove(this.snapPath);
    this.saveHardState(p.hardState);
    this.appendEntries(p.entries);
  }

  /**
   * Changes the data key (autolock turned on or off): everything on disk is rewritten under the
   * new one (or in the clear).
   */
  rekey(cipher: RaftCipher | null): void {
    const p = this.load();
    this.cipher = cipher;
    if (p) this.reset(p);
  }

  readIdentity(): RaftIdentity | undefined {
    const id = this.disk.read(this.identityPath) as Partial<RaftIdentity> | undefined;
    return id?.raftId ? { raftId: id.raftId, starts: id.starts ?? 0 } : undefined;
  }

  writeIdentity(id: RaftIdentity): void {
    this.disk.write(this.identityPath, id);
  }

  sync(): void {
    this.disk.fsync();
  }

  /** How many records the WAL holds (tests look at compaction with it). */
  walLength(): number {
    return this.disk.readLog(this.walPath).length;
  }

  private seal(v: unknown): unknown {
    return this.cipher ? { $sealed: this.cipher.seal(v) } : v;
  }

  private open(v: unknown): unknown {
    const sealed = (v as { $sealed?: EncryptedRecord } | undefined)?.$sealed;
    if (!sealed) return v;
    if (!this.cipher) throw new RaftDataLockedError();
    try {
      return this.cipher.open(sealed);
    } catch {
      throw new RaftDataLockedError();
    }
  }

  private openWal(): Entry[] {
    return this.disk.readLog(this.walPath).map((raw) => this.open(raw) as Entry);
  }
}

/**
 * The log a WAL of appended entries stands for, keeping only entries after `index`. A record
 * at or below `index` still truncates what follows it (an entry the new leader rewrote at 129
 * removes the old 130, 131, ...), so the whole WAL is resolved first and filtered after.
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
