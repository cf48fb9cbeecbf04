// Raft data at rest, encrypted with the manager's data key (DEK), as SwarmKit encrypts its WAL
// and snapshots (SWARMKIT.md §2.6). Records are serialized (JSON, with byte arrays kept as
// base64) and sealed with ChaCha20-Poly1305 from the CA module, a fresh nonce per record.
import { decryptRecord, type EncryptedRecord, encryptRecord } from "../../ca/autolock";
import type { RandomSource } from "../../ca/random";

export interface RaftCipher {
  seal(value: unknown): EncryptedRecord;
  open(record: EncryptedRecord): unknown;
}

const replacer = (_k: string, v: unknown) =>
  v instanceof Uint8Array ? { $u8: Buffer.from(v).toString("base64") } : v;
const reviver = (_k: string, v: unknown) =>
  v && typeof v === "object" && typeof (v as { $u8?: unknown }).$u8 === "string"
    ? new Uint8Array(Buffer.from((v as { $u8: string }).$u8, "base64"))
    : v;

export function raftCipher(dek: Uint8Array, rand: RandomSource): RaftCipher {
  return {
    seal: (value) => encryptRecord(dek, new TextEncoder().encode(JSON.stringify(value, replacer)), rand),
    open: (record) => JSON.parse(new TextDecoder().decode(decryptRecord(dek, record)), reviver),
  };
}
