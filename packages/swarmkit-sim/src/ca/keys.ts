// Key pairs for the CA and the nodes, derived from the seeded random source.
//
// Deviation from SwarmKit, on purpose: SwarmKit uses ECDSA P-256 keys. node:crypto signs ECDSA
// with a random nonce, so the same seed would give different certificate bytes on every run, a
// different CA digest, and different join tokens: the run would not replay. We use Ed25519
// instead, whose signatures are deterministic (RFC 8032). Everything else about the keys (who
// holds which, what signs what) follows SwarmKit.
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { toHex } from "./base36";
import { decodePemBlocks, encodePem } from "./pem";
import type { RandomSource } from "./random";

/** PKCS#8 PrivateKeyInfo for Ed25519 (RFC 8410), up to the 32-byte seed that follows it. */
const PKCS8_ED25519_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
/** SubjectPublicKeyInfo for Ed25519, up to the 32-byte public key that follows it. */
const SPKI_ED25519_PREFIX = Uint8Array.from([
  0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
]);

export const ED25519_OID = "1.3.101.112";
const KEY_BYTES = 32;

export interface KeyPair {
  /** The 32-byte Ed25519 seed: the whole private key. */
  readonly seed: Uint8Array;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The raw 32-byte public key, as it sits in a certificate. */
  readonly publicRaw: Uint8Array;
  /** PKCS#8 PEM ("PRIVATE KEY"), what swarm-node.key / swarm-root-ca.key hold. */
  readonly privateKeyPem: string;
  /** SubjectPublicKeyInfo PEM ("PUBLIC KEY"). */
  readonly publicKeyPem: string;
}

/** A key pair from the seeded random source (32 bytes). */
export function generateKeyPair(rand: RandomSource): KeyPair {
  return keyPairFromSeed(rand.bytes(KEY_BYTES));
}

/** The key pair whose Ed25519 seed is `seed`. */
export function keyPairFromSeed(seed: Uint8Array): KeyPair {
  if (seed.length !== KEY_BYTES)
    throw new Error(`Ed25519 seed must be ${KEY_BYTES} bytes, got ${seed.length}`);
  const s = Uint8Array.from(seed);
  const privateKey = privateKeyFromSeed(s);
  const publicKey = createPublicKey(privateKey);
  const publicRaw = new Uint8Array(Buffer.from(publicKey.export({ format: "jwk" }).x as string, "base64url"));
  return {
    seed: s,
    privateKey,
    publicKey,
    publicRaw,
    privateKeyPem: encodePem("PRIVATE KEY", concat(PKCS8_ED25519_PREFIX, s)),
    publicKeyPem: publicKeyPemOf(publicRaw),
  };
}

/** The key pair stored in a PKCS#8 PEM written by this module. */
export function keyPairFromPem(pem: string): KeyPair {
  const block = decodePemBlocks(pem).find((b) => b.type === "PRIVATE KEY");
  if (
    !block ||
    block.der.length !== PKCS8_ED25519_PREFIX.length + KEY_BYTES ||
    !startsWith(block.der, PKCS8_ED25519_PREFIX)
  ) {
    throw new Error("invalid PEM-encoded private key");
  }
  return keyPairFromSeed(block.der.subarray(PKCS8_ED25519_PREFIX.length));
}

/**
 * The brief asks for createPrivateKey over the PKCS#8 DER; OpenSSL's DER decoder costs about
 * 300 µs per key, though, and clusters of 10,000 nodes need 10,000 keys. Importing the same seed
 * as a JWK takes about 20 µs: Node derives the public half from `d` alone. We use the JWK path
 * when it provably gives the key the seed defines (the public half it reports differs from the
 * placeholder we passed), and fall back to the PKCS#8 DER otherwise.
 */
function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  const d = Buffer.from(seed).toString("base64url");
  try {
    const key = createPrivateKey({ key: { kty: "OKP", crv: "Ed25519", d, x: PLACEHOLDER_X }, format: "jwk" });
    if (key.export({ format: "jwk" }).x !== PLACEHOLDER_X) return key;
  } catch {
    // fall through to the reference path
  }
  return createPrivateKey({
    key: Buffer.from(concat(PKCS8_ED25519_PREFIX, seed)),
    format: "der",
    type: "pkcs8",
  });
}
const PLACEHOLDER_X = "A".repeat(43);

const signingKeyCache = new Map<string, KeyObject>();
const SIGNING_KEY_CACHE_MAX = 50_000;

/**
 * The signing KeyObject of a PKCS#8 PEM written by this module (cached by the PEM text: a node
 * signs every handshake with the same key, and importing it costs as much as a signature).
 * Throws `invalid PEM-encoded private key` for anything else.
 */
export function signingKeyFromPem(pem: string): KeyObject {
  let key = signingKeyCache.get(pem);
  if (!key) {
    key = keyPairFromPem(pem).privateKey;
    if (signingKeyCache.size >= SIGNING_KEY_CACHE_MAX)
      signingKeyCache.delete(signingKeyCache.keys().next().value!);
    signingKeyCache.set(pem, key);
  }
  return key;
}

const publicKeyCache = new Map<string, KeyObject>();
const PUBLIC_KEY_CACHE_MAX = 50_000;

/** A verifying KeyObject for a raw 32-byte Ed25519 public key (cached: keys repeat a lot). */
export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  const k = toHex(raw);
  let key = publicKeyCache.get(k);
  if (!key) {
    if (raw.length !== KEY_BYTES) throw new Error("invalid Ed25519 public key");
    key = createPublicKey({
      key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(raw).toString("base64url") },
      format: "jwk",
    });
    if (publicKeyCache.size >= PUBLIC_KEY_CACHE_MAX)
      publicKeyCache.delete(publicKeyCache.keys().next().value!);
    publicKeyCache.set(k, key);
  }
  return key;
}

/** SubjectPublicKeyInfo DER of a raw Ed25519 public key. */
export function spkiOf(raw: Uint8Array): Uint8Array {
  return concat(SPKI_ED25519_PREFIX, raw);
}

export function publicKeyPemOf(raw: Uint8Array): string {
  return encodePem("PUBLIC KEY", spkiOf(raw));
}

/** What callers may pass as a public key: raw bytes, a PUBLIC KEY PEM, or a KeyPair. */
export type PublicKeyInput = Uint8Array | string | { readonly publicRaw: Uint8Array };

/** The raw 32-byte Ed25519 public key of any PublicKeyInput. */
export function rawPublicKey(input: PublicKeyInput): Uint8Array {
  if (typeof input === "string") {
    const block = decodePemBlocks(input).find((b) => b.type === "PUBLIC KEY");
    if (
      !block ||
      block.der.length !== SPKI_ED25519_PREFIX.length + KEY_BYTES ||
      !startsWith(block.der, SPKI_ED25519_PREFIX)
    ) {
      throw new Error("invalid Ed25519 public key PEM");
    }
    return block.der.subarray(SPKI_ED25519_PREFIX.length);
  }
  const raw = input instanceof Uint8Array ? input : input.publicRaw;
  if (raw.length !== KEY_BYTES)
    throw new Error(`Ed25519 public key must be ${KEY_BYTES} bytes, got ${raw.length}`);
  return raw;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function startsWith(buf: Uint8Array, prefix: Uint8Array): boolean {
  if (buf.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[i] !== prefix[i]) return false;
  return true;
}
