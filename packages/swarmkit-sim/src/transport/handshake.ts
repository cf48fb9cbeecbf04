// The cryptography of a connection's handshake, in the shape of TLS 1.3 with a client
// certificate (RFC 8446 §4.4), on node:crypto:
//
//   client                                          server
//   hello  { nonce_c, share_c }              ──▶
//                                            ◀──   shello { nonce_s, share_s, chain_s, sig_s }
//   fin    { chain_c, sig_c, binder }        ──▶   (then requests, each carrying the binder)
//
// - sig_s: the server's CertificateVerify, an Ed25519 signature with its certificate's private
//   key over the transcript hash TH_s = SHA-256(nonce_c, share_c, nonce_s, share_s, chain_s).
//   The client checks it with the public key of the chain it verified against its pinned root:
//   a manager's certificate replayed without its key proves nothing.
// - sig_c: the client's CertificateVerify over TH_c = SHA-256(TH_s, chain_c), when it presents
//   a certificate (a joining node presents none, as with VerifyClientCertIfGiven).
// - binder: the connection's key, HKDF-Extract (HMAC-SHA256) over both key shares and TH_c. The key
//   shares are fresh random bytes from the kernel's seeded streams; the simulated network
//   delivers a message to its destination only (there is no wiretap), so they are known to the
//   two ends alone. Every later request carries the binder, and the server accepts a request
//   only from the kernel source (machine, address, port) that completed the handshake AND with
//   that connection's binder. Deviation: TLS derives its keys from an ephemeral (EC)DH
//   exchange and MACs every record; an X25519 exchange would cost about one more signature and
//   verification per connection, and a MAC per request more than the whole heartbeat path of a
//   10,000-node swarm, for no protection the simulated network lacks.
import { createHash, createHmac, type KeyObject, sign, verify } from "node:crypto";

/** Bytes of each side's nonce and of each side's key share. */
export const NONCE_BYTES = 16;
export const SHARE_BYTES = 16;

/** TLS 1.3's CertificateVerify context strings (RFC 8446 §4.4.3), after its 64 spaces. */
const PAD = " ".repeat(64);
const SERVER_CONTEXT = Buffer.from(`${PAD}TLS 1.3, server CertificateVerify\0`);
const CLIENT_CONTEXT = Buffer.from(`${PAD}TLS 1.3, client CertificateVerify\0`);
const BINDER_INFO = Buffer.from("swarm-sim connection binder");

/** What Go's TLS stack says when a CertificateVerify does not verify (SwarmKit uses ECDSA). */
export const SERVER_SIGNATURE_ERROR =
  "tls: invalid signature by the server certificate: ECDSA verification failure";
/** The alert a client sees when the server rejected its CertificateVerify (alertDecryptError). */
export const CLIENT_SIGNATURE_ALERT = "error decrypting message";

const chainDigests = new Map<string, Buffer>();
const CHAIN_DIGESTS_MAX = 50_000;
const NO_CHAIN = createHash("sha256").update("").digest();

/**
 * SHA-256 of a chain's PEM text, as the transcripts include it (cached: a node presents the
 * same chain on every connection, and hashing its kilobytes would cost more than the rest).
 */
function chainDigest(chain: string | null): Buffer {
  if (!chain) return NO_CHAIN;
  let d = chainDigests.get(chain);
  if (d === undefined) {
    d = createHash("sha256").update(chain).digest();
    if (chainDigests.size >= CHAIN_DIGESTS_MAX) chainDigests.delete(chainDigests.keys().next().value!);
    chainDigests.set(chain, d);
  }
  return d;
}

/** TH_s: what the server signs (both hellos and the server's chain). */
export function serverTranscript(
  clientNonce: Uint8Array,
  clientShare: Uint8Array,
  serverNonce: Uint8Array,
  serverShare: Uint8Array,
  serverChain: string | null,
): Buffer {
  return createHash("sha256")
    .update(clientNonce)
    .update(clientShare)
    .update(serverNonce)
    .update(serverShare)
    .update(chainDigest(serverChain))
    .digest();
}

/** TH_c: what the client signs (the server's transcript and the client's chain). */
export function clientTranscript(serverTh: Uint8Array, clientChain: string | null): Buffer {
  return createHash("sha256").update(serverTh).update(chainDigest(clientChain)).digest();
}

export function signServer(key: KeyObject, th: Uint8Array): Buffer {
  return sign(null, Buffer.concat([SERVER_CONTEXT, th]), key);
}

export function signClient(key: KeyObject, th: Uint8Array): Buffer {
  return sign(null, Buffer.concat([CLIENT_CONTEXT, th]), key);
}

/** Checks a CertificateVerify; false for a bad signature, a wrong key type or garbage. */
export function verifyServerSignature(key: KeyObject, th: Uint8Array, sig: unknown): boolean {
  return checkSignature(key, SERVER_CONTEXT, th, sig);
}

export function verifyClientSignature(key: KeyObject, th: Uint8Array, sig: unknown): boolean {
  return checkSignature(key, CLIENT_CONTEXT, th, sig);
}

function checkSignature(key: KeyObject, context: Buffer, th: Uint8Array, sig: unknown): boolean {
  if (!(sig instanceof Uint8Array) || sig.length !== 64) return false;
  try {
    return verify(null, Buffer.concat([context, th]), key, sig);
  } catch {
    return false;
  }
}

/** The connection's binder: HKDF-Extract over both key shares, with the client's transcript. */
export function connectionBinder(
  clientShare: Uint8Array,
  serverShare: Uint8Array,
  clientTh: Uint8Array,
): string {
  return createHmac("sha256", Buffer.concat([clientShare, serverShare]))
    .update(BINDER_INFO)
    .update(clientTh)
    .digest()
    .toString("base64", 0, 16);
}

/** True when `v` is a byte array of exactly `n` bytes (a hello's fields, checked before use). */
export function isBytes(v: unknown, n: number): v is Uint8Array {
  return v instanceof Uint8Array && v.length === n;
}
