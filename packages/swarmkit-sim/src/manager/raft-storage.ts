// Raft's durable state on the machine's simulated disk: hard state, the entry log (a WAL of
// appended entries, where an entry at an index already written replaces it and everything
// after it), and the latest snapshot. Writes are synced before the messages that depend on
// them leave (the Ready contract), so a crash loses only what raft allows to lose.
import type { Entry, HardState, PersistentState, Snapshot } from "@swarm-sim/raft";
import type { EncryptedRecord } from "../ca/autolock";
import type { Disk } from "../kernel/disk";
import { resolveWal } from "./raft/disk-storage";
import type { RaftCipher } from "./raft-cipher";

/** A value on disk: as is, or sealed with the DEK. */
type Stored = unknown;

/** Raised when the data is encrypted and no (or the wrong) data key is at hand. */
export class RaftDataLockedError extends Error {
  constructor() {
    super("raft: cannot decrypt the raft data (the manager is locked)");
  }
}

export class RaftStorage {
  private readonly hardPath: string;
  private readonly walPath: string;
  private readonly snapPath: string;

  constructor(
    private readonly disk: Disk,
    dir: string,
    private cipher: RaftCipher | null = null,
  ) {
    this.hardPath = `${dir}hardstate`;
    this.walPath = `${dir}wal`;
    this.snapPath = `${dir}snapshot`;
  }

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
    // Resolve the whole WAL before dropping what the snapshot covers: a rewrite at or below
    // the snapshot index still truncates the entries after it.
    const entries = resolveWal(this.openWal(), snapshot?.metadata.index ?? 0);
    return { hardState: { ...hardState }, snapshot, entries };
  }

  saveHardState(h: HardState): void {
    this.disk.write(this.hardPath, this.seal(h));
  }

  appendEntries(entries: readonly Entry[]): void {
    for (const e of entries) this.disk.append(this.walPath, this.seal(e));
  }

  /**
   * Changes the data key (autolock turned on or off): everything on disk is rewritten under
   * the new one (or in the clear).
   */
  rekey(cipher: RaftCipher | null): void {
    const p = this.load();
    this.cipher = cipher;
    if (p) this.reset(p);
  }

  private seal(v: unknown): Stored {
    return this.cipher ? { $sealed: this.cipher.seal(v) } : v;
  }

  private open(v: Stored): unknown {
    const sealed = (v as { $sealed?: EncryptedRecord } | undefined)?.$sealed;
    if (!sealed) return v;
    if (!this.cipher) throw new RaftDataLockedError();
    try {
      return this.cipher.open(sealed);
    } catch {
      throw new RaftDataLockedError();
    }
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

  private openWal(): Entry[] {
    return this.disk.readLog(this.walPath).map((raw) => this.open(raw) as Entry);
  }

  /** Replaces everything (force-new-cluster). */
  reset(p: PersistentState): void {
    this.disk.remove(this.walPath);
    if (p.snapshot) this.disk.write(this.snapPath, this.seal(p.snapshot));
    else this.disk.remove(this.snapPath);
    this.saveHardState(p.hardState);
    this.appendEntries(p.entries);
  }

  sync(): void {
    this.disk.fsync();
  }
}
