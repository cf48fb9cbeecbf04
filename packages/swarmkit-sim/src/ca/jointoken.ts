// Join tokens (SK ca/config.go GenerateJoinToken, ParseJoinToken; ca/certificates.go
// GetRemoteCA; ca/server.go IssueNodeCertificate's token check).
//   v1: SWMTKN-1-<sha256 of the CA bundle, base 36, 50 chars>-<16 random bytes, base 36, 25 chars>
//   v2: SWMTKN-2-<0|1 FIPS>-<digest>-<secret> (written only for FIPS clusters)
import { createHash, timingSafeEqual } from "node:crypto";
import { bigIntFromBytes, parseBase36 } from "./base36";
import type { NodeRole } from "./constants";
import type { RandomSource } from "./random";

const DIGEST_LEN = 50; // ceil(log36(2^256))
const SECRET_LEN = 25; // ceil(log36(2^128))
const SECRET_BYTES = 16;

export const INVALID_JOIN_TOKEN = "invalid join token";
/** The CA server's answer to a token that matches neither role (gRPC InvalidArgument). */
export const JOIN_TOKEN_REQUIRED = "A valid join token is necessary to join this cluster";

export interface ParsedJoinToken {
  version: 1 | 2;
  /** "sha256:<64 hex>": the CA bundle digest the token pins. */
  digestHex: string;
  secret: string;
  fips: boolean;
}

/** The token for one role, over the CA's current digest and 16 fresh random bytes. */
export function generateJoinToken(
  rootCA: string | { digest(): string },
  rand: RandomSource,
  opts: { fips?: boolean } = {},
): string {
  const hex = (typeof rootCA === "string" ? rootCA : rootCA.digest()).replace(/^sha256:/, "");
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`invalid digest: ${hex}`);
  const digest = BigInt(`0x${hex}`).toString(36).padStart(DIGEST_LEN, "0");
  const secret = bigIntFromBytes(rand.bytes(SECRET_BYTES)).toString(36).padStart(SECRET_LEN, "0");
  return `${opts.fips ? "SWMTKN-2-1" : "SWMTKN-1"}-${digest}-${secret}`;
}

/**
 * Parses a join token with SwarmKit's rules: split on "-", at least 4 parts, "SWMTKN", version
 * 1 with exactly 4 parts or version 2 with exactly 5 and a FIPS flag of 0 or 1, then a 50-char
 * digest and a 25-char secret. Anything else throws Error("invalid join token").
 *
 * Go reads the digest with big.Int SetString, whose failure on a non-base-36 character leaves
 * an undefined value; we reject such tokens as invalid. A 50-character digest larger than
 * 2^256 - 1 does not fit in 64 hex digits: Go's digest.Parse then fails with "invalid checksum
 * digest length", and so do we. The secret is not checked further: the server compares whole
 * tokens.
 */
export function parseJoinToken(token: string): ParsedJoinToken {
  const parts = token.split("-");
  if (parts.length < 4 || parts[0] !== "SWMTKN") throw new Error(INVALID_JOIN_TOKEN);
  let version: 1 | 2;
  let fips = false;
  if (parts[1] === "1") {
    if (parts.length !== 4) throw new Error(INVALID_JOIN_TOKEN);
    version = 1;
  } else if (parts[1] === "2") {
    if (parts.length !== 5 || (parts[2] !== "0" && parts[2] !== "1")) throw new Error(INVALID_JOIN_TOKEN);
    version = 2;
    fips = parts[2] === "1";
  } else {
    throw new Error(INVALID_JOIN_TOKEN);
  }
  const secret = parts[parts.length - 1];
  const digest = parts[parts.length - 2];
  // Go's len() counts UTF-8 bytes, not characters.
  if (Buffer.byteLength(digest) !== DIGEST_LEN || Buffer.byteLength(secret) !== SECRET_LEN) {
    throw new Error(INVALID_JOIN_TOKEN);
  }
  const value = parseBase36(digest);
  if (value === undefined) throw new Error(INVALID_JOIN_TOKEN);
  const hex = value.toString(16).padStart(64, "0");
  if (hex.length !== 64) throw new Error("invalid checksum digest length");
  return { version, digestHex: `sha256:${hex}`, secret, fips };
}

/** SHA-256 of the exact CA bundle bytes, "sha256:<hex>". */
export function caDigest(caPem: string): string {
  return `sha256:${createHash("sha256").update(caPem, "utf8").digest("hex")}`;
}

/**
 * The joining node's check of the CA bundle it downloaded without verifying TLS: its hash must
 * be the digest in the token. Throws SwarmKit's error otherwise.
 */
export function checkRemoteCA(tokenDigest: string, remoteCaPem: string): void {
  const expected = tokenDigest.replace(/^sha256:/, "");
  if (caDigest(remoteCaPem) !== `sha256:${expected}`) {
    throw new Error(`remote CA does not match fingerprint. Expected: ${expected}`);
  }
}

/**
 * The CA server's token check: constant-time comparison with the manager token first, then the
 * worker token (like Go's subtle.ConstantTimeCompare, unequal lengths simply do not match).
 * Returns the role the token grants, or null.
 */
export function matchJoinToken(token: string, tokens: { manager: string; worker: string }): NodeRole | null {
  if (constantTimeEqual(tokens.manager, token)) return "manager";
  if (constantTimeEqual(tokens.worker, token)) return "worker";
  return null;
}

export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}
