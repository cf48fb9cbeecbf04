// A node's keys on its disk (SwarmKit ca/keyreadwriter.go and manager/deks.go): the TLS key,
// and on a manager the data key (DEK) its raft log and snapshots are encrypted with. While
// autolock is on, a manager's keys are sealed with the unlock key (KEK): a restarted manager
// cannot read them, and stays locked until `docker swarm unlock` gives the key. When the
// cluster's unlock key changes (`docker swarm unlock-key --rotate`, autolock on or off), the
// keys are sealed again under the new one (MaybeUpdateKEK).
import type { NodeRole } from "../api/types";
import {
  decryptRecord,
  type EncryptedRecord,
  encryptRecord,
  generateDek,
  openDek,
  parseUnlockKey,
  sealDek,
  type StoredDek,
} from "../ca/autolock";
import type { Disk } from "../kernel/disk";
import type { Random } from "../kernel/random";
import { DaemonError, ERR_BAD_UNLOCK_KEY } from "./errors";
import { NODE_KEY } from "./state";

/** swarm-node.key: the TLS key (plain, or sealed with the KEK) and the raft data key. */
interface StoredNodeKey {
  pem?: string;
  sealed?: EncryptedRecord;
  dek?: StoredDek;
}

export class NodeKeys {
  /** The TLS private key (PEM); "" while locked or before the node has one. */
  keyPem = "";
  /** This manager's raft data key (null on workers, and on a manager before its raft starts). */
  dek: Uint8Array | null = null;
  /** The unlock key the stored keys are sealed with ("" when they are stored in the clear). */
  private sealedWith = "";

  constructor(
    private readonly disk: Disk,
    /** A fresh random stream for one operation (the node's). */
    private readonly rand: (what: string) => Random,
  ) {}

  /** The unlock key the keys are sealed with now ("" when in the clear). */
  get unlockKey(): string {
    return this.sealedWith;
  }

  /** Reads the stored keys at boot. False when they are sealed: the node stays locked. */
  load(): boolean {
    const key = this.disk.read(NODE_KEY) as StoredNodeKey | undefined;
    if (key?.sealed) {
      // Autolock: without the unlock key this manager cannot read its TLS key, nor the data
      // key (DEK) its raft log and snapshots are encrypted with.
      this.keyPem = "";
      this.dek = null;
      return false;
    }
    this.keyPem = key?.pem ?? "";
    this.dek = key?.dek ? openDek(key.dek, null) : null;
    this.sealedWith = "";
    return true;
  }

  /** `docker swarm unlock`: opens the sealed keys with the key the user typed. */
  unlock(keyText: string): DaemonError | null {
    let kek: Uint8Array;
    try {
      kek = parseUnlockKey(keyText);
    } catch (e) {
      return new DaemonError((e as Error).message);
    }
    const stored = this.disk.read(NODE_KEY) as StoredNodeKey;
    try {
      this.keyPem = new TextDecoder().decode(decryptRecord(kek, stored.sealed as EncryptedRecord));
      this.dek = stored.dek ? openDek(stored.dek, kek) : null;
    } catch {
      return new DaemonError(ERR_BAD_UNLOCK_KEY);
    }
    this.sealedWith = keyText.trim();
    return null;
  }

  /**
   * Writes the keys, sealed with `unlockKey` when one is given and the node is a manager
   * (workers keep their key in the clear: autolock protects the managers' raft data). Not synced.
   */
  write(unlockKey: string, role: NodeRole | undefined): void {
    const kek = unlockKey && role === "manager" ? parseUnlockKey(unlockKey) : null;
    const dek = this.dek ? sealDek(this.dek, kek, this.rand("seal-dek")) : undefined;
    if (kek) {
      this.disk.write(NODE_KEY, {
        sealed: encryptRecord(kek, new TextEncoder().encode(this.keyPem), this.rand("seal")),
        dek,
      } satisfies StoredNodeKey);
    } else {
      this.disk.write(NODE_KEY, { pem: this.keyPem, dek } satisfies StoredNodeKey);
    }
    this.sealedWith = kek ? unlockKey : "";
  }

  /** A manager about to run raft: its data key, made and stored (synced) if it has none. */
  ensureDek(role: NodeRole): void {
    if (this.dek) return;
    // Kept next to the TLS key (sealed with the KEK under autolock).
    this.dek = generateDek(this.rand("dek"));
    this.write(this.sealedWith, role);
    this.disk.fsync();
  }

  /** The raft data is gone (demotion): its data key goes with it (SwarmKit wipes the DEKs). */
  dropDek(role: NodeRole | undefined): void {
    this.dek = null;
    this.write(this.sealedWith, role);
    this.disk.fsync();
  }

  /**
   * The cluster's unlock key is `want` now ("" with autolock off): seals the keys under it if
   * that changed, and returns the data key raft should use from now on (undefined: no change).
   * Not synced.
   */
  follow(want: string, role: NodeRole): Uint8Array | null | undefined {
    if (want === this.sealedWith) return undefined;
    this.write(want, role);
    // Autolock on: the raft data is rewritten under the DEK; off: in the clear.
    return want ? this.dek : null;
  }

  /** The node left the swarm. */
  clear(): void {
    this.keyPem = "";
  }
}
