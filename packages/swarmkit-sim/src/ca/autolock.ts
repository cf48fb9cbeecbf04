// Autolock (SK manager/encryption, manager/deks.go, ca/keyreadwriter.go, design/raft_encryption.md).
// The unlock key (KEK) is shared by the managers; each manager has its own data key (DEK) that
// encrypts its raft log entries and snapshots. With autolock on, the DEK (and the TLS key) are
// stored encrypted under the KEK, so a restarted manager needs `docker swarm unlock`.
//
// Deviation: SwarmKit seals records with NaCl secretbox (XSalsa20-Poly1305, 24-byte nonces),
// which node:crypto does not offer. We use ChaCha20-Poly1305 (same family, 12-byte nonces),
// with nonces from the seeded random source so runs replay.
import { createCipheriv, createDecipheriv } from "node:crypto";
import type { RandomSource } from "./random";

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const PREFIX = "SWMKEY-1-";

export const RECORD_ALGORITHM = "CHACHA20_POLY1305";

/** `ParseHumanReadableKey`'s error. */
export const INVALID_KEY_STRING = "invalid key string";
/** What a restarted, locked manager fails with (SK node/node.go ErrInvalidUnlockKey). */
export const NODE_LOCKED = "node is locked, and needs a valid unlock key";
/** dockerd's answer to `docker swarm unlock` with the wrong key (HTTP 401). */
export const UNLOCK_INVALID_KEY = "swarm could not be unlocked: invalid key provided";

/** A DEK (or TLS key) that cannot be opened with the KEK given (SK ca.ErrInvalidKEK). */
export class InvalidKekError extends Error {
  constructor() {
    super("x509: decryption password incorrect");
    this.name = "InvalidKekError";
  }
}

/** A new unlock key (KEK): 32 random bytes. */
export function generateUnlockKey(rand: RandomSource): Uint8Array {
  return Uint8Array.from(rand.bytes(KEY_BYTES));
}

/** A new data key (DEK): 32 random bytes. */
export function generateDek(rand: RandomSource): Uint8Array {
  return Uint8Array.from(rand.bytes(KEY_BYTES));
}

/** `SWMKEY-1-` + unpadded standard base64 (43 characters for 32 bytes). */
export function formatUnlockKey(key: Uint8Array): string {
  return PREFIX + Buffer.from(key).toString("base64").replace(/=+$/, "");
}

/**
 * The inverse of formatUnlockKey, as strict as Go's base64.RawStdEncoding: standard alphabet,
 * no padding, no impossible lengths. (Go skips CR and LF inside the text; so do we.) Any
 * problem throws Error("invalid key string"). The length of the key is not checked here: a
 * wrong-length key simply fails to unlock.
 */
export function parseUnlockKey(text: string): Uint8Array {
  if (!text.startsWith(PREFIX)) throw new Error(INVALID_KEY_STRING);
  const body = text.slice(PREFIX.length).replace(/[\r\n]/g, "");
  if (!/^[A-Za-z0-9+/]*$/.test(body) || body.length % 4 === 1) throw new Error(INVALID_KEY_STRING);
  return new Uint8Array(Buffer.from(body, "base64"));
}

/** One sealed record (api.MaybeEncryptedRecord). */
export interface EncryptedRecord {
  algorithm: typeof RECORD_ALGORITHM;
  nonce: Uint8Array;
  /** Ciphertext followed by the 16-byte tag. */
  data: Uint8Array;
}

export function encryptRecord(key: Uint8Array, plaintext: Uint8Array, rand: RandomSource): EncryptedRecord {
  const nonce = Uint8Array.from(rand.bytes(NONCE_BYTES));
  const cipher = createCipheriv("chacha20-poly1305", checkKey(key), nonce, { authTagLength: TAG_BYTES });
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: RECORD_ALGORITHM, nonce, data: new Uint8Array(body) };
}

/** Opens a record; throws if the key is wrong or the record was altered. */
export function decryptRecord(key: Uint8Array, record: EncryptedRecord): Uint8Array {
  if (record.algorithm !== RECORD_ALGORITHM)
    throw new Error(`cannot decrypt record encrypted using ${record.algorithm}`);
  if (record.nonce.length !== NONCE_BYTES) {
    throw new Error(
      `invalid nonce size for ${RECORD_ALGORITHM}: require ${NONCE_BYTES}, got ${record.nonce.length}`,
    );
  }
  if (record.data.length < TAG_BYTES)
    throw new Error(`no decryption key for record encrypted with ${RECORD_ALGORITHM}`);
  try {
    const decipher = createDecipheriv("chacha20-poly1305", checkKey(key), record.nonce, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAuthTag(record.data.subarray(record.data.length - TAG_BYTES));
    return new Uint8Array(
      Buffer.concat([
        decipher.update(record.data.subarray(0, record.data.length - TAG_BYTES)),
        decipher.final(),
      ]),
    );
  } catch {
    throw new Error(`no decryption key for record encrypted with ${RECORD_ALGORITHM}`);
  }
}

/** How a manager keeps its DEK on disk: sealed under the KEK with autolock, plain without. */
export type StoredDek = { encrypted: false; dek: Uint8Array } | { encrypted: true; record: EncryptedRecord };

/** Stores a DEK: encrypted under `kek` when one is given (autolock on), plaintext otherwise. */
export function sealDek(dek: Uint8Array, kek: Uint8Array | null, rand: RandomSource): StoredDek {
  return kek
    ? { encrypted: true, record: encryptRecord(kek, dek, rand) }
    : { encrypted: false, dek: Uint8Array.from(dek) };
}

/**
 * Reads a stored DEK. An encrypted DEK without a KEK, or with the wrong one, throws
 * InvalidKekError; the caller reports NODE_LOCKED on restart and UNLOCK_INVALID_KEY on unlock.
 */
export function openDek(stored: StoredDek, kek: Uint8Array | null): Uint8Array {
  if (!stored.encrypted) return Uint8Array.from(stored.dek);
  if (!kek || kek.length !== KEY_BYTES) throw new InvalidKekError();
  try {
    return decryptRecord(kek, stored.record);
  } catch {
    throw new InvalidKekError();
  }
}

/** Re-stores a DEK under a new KEK (or in plaintext, when autolock is turned off). */
export function rekeyDek(
  stored: StoredDek,
  oldKek: Uint8Array | null,
  newKek: Uint8Array | null,
  rand: RandomSource,
): StoredDek {
  return sealDek(openDek(stored, oldKek), newKek, rand);
}

function checkKey(key: Uint8Array): Uint8Array {
  if (key.length !== KEY_BYTES) throw new Error(`key must be ${KEY_BYTES} bytes, got ${key.length}`);
  return key;
}
