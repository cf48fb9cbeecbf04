// Certificate chain verification with the outcomes and texts of Go's crypto/x509 Verify, which
// is what SwarmKit's TLS stack runs: the leaf's validity window first, then (optionally) the
// host name, then a search for a chain through the presented intermediates to a trusted root.
import { verify } from "node:crypto";
import { type CertificateInfo, infoOf, type ParsedCertificate, parseCertificateBundle } from "./certificate";
import { publicKeyFromRaw } from "./keys";
import { OID } from "./oids";
import { DEFAULT_EPOCH_MS, formatRfc3339, wallMs } from "./x509-time";

/**
 * The text Go gives when a signature does not verify. SwarmKit's keys are ECDSA P-256, so a
 * real swarm reports the ECDSA text; our Ed25519 signatures stand in for those (see keys.ts),
 * and we keep the text users of a real swarm would see.
 */
export const SIGNATURE_FAILURE = "x509: ECDSA verification failure";
export const UNKNOWN_AUTHORITY = "x509: certificate signed by unknown authority";
export const EXPIRED_PREFIX = "x509: certificate has expired or is not yet valid: ";
const NOT_A_CA = "x509: invalid signature: parent certificate cannot sign this kind of certificate";
const UNSUPPORTED_ALGORITHM = "x509: cannot verify signature: algorithm unimplemented";
const MAX_CHAIN_DEPTH = 8;

export interface VerifyOptions {
  /** Origin of simulated time, for the certificates' wall-clock times. */
  epochMs?: number;
  /** When set, the leaf must carry this DNS SAN (a client dialing `swarm-manager`, `swarm-ca`). */
  serverName?: string;
}

export type ChainVerification =
  | { ok: true; leaf: ParsedCertificate; info: CertificateInfo; chain: ParsedCertificate[] }
  | { ok: false; error: string };

/**
 * Verifies `certChainPem` (leaf first, then intermediates) against the trusted root
 * certificate(s) at simulated time `now`. Returns the verified chain, or Go's error text.
 */
export function verifyChain(
  certChainPem: string,
  trustRootPem: string | readonly string[],
  now: number,
  opts: VerifyOptions = {},
): ChainVerification {
  const epochMs = opts.epochMs ?? DEFAULT_EPOCH_MS;
  let presented: readonly ParsedCertificate[];
  let roots: ParsedCertificate[];
  try {
    presented = parseCertificateBundle(certChainPem);
    roots = (typeof trustRootPem === "string" ? [trustRootPem] : trustRootPem).flatMap((p) => [
      ...parseCertificateBundle(p),
    ]);
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  if (presented.length === 0) return { ok: false, error: "x509: malformed certificate" };
  const leaf = presented[0];
  const nowUnix = wallMs(now, epochMs);

  const expired = validityError(leaf, nowUnix);
  if (expired) return { ok: false, error: expired };
  if (opts.serverName !== undefined && !leaf.dnsNames.includes(opts.serverName)) {
    return { ok: false, error: hostnameError(leaf, opts.serverName) };
  }
  if (roots.some((r) => sameCertificate(r, leaf))) {
    return { ok: true, leaf, info: infoOf(leaf, epochMs), chain: [leaf] };
  }
  const search = buildChain(leaf, [leaf], presented.slice(1), roots, nowUnix);
  if (!search.chain) return { ok: false, error: search.error };
  return { ok: true, leaf, info: infoOf(leaf, epochMs), chain: search.chain };
}

/** Go's isValid time check: the detail names the instant in RFC 3339, whole seconds. */
export function validityError(c: ParsedCertificate, nowUnix: number): string | undefined {
  if (nowUnix < c.notBeforeUnixMs) {
    return `${EXPIRED_PREFIX}current time ${formatRfc3339(nowUnix)} is before ${formatRfc3339(c.notBeforeUnixMs)}`;
  }
  if (nowUnix > c.notAfterUnixMs) {
    return `${EXPIRED_PREFIX}current time ${formatRfc3339(nowUnix)} is after ${formatRfc3339(c.notAfterUnixMs)}`;
  }
  return undefined;
}

function hostnameError(leaf: ParsedCertificate, host: string): string {
  if (leaf.dnsNames.length === 0)
    return `x509: certificate is not valid for any names, but wanted to match ${host}`;
  return `x509: certificate is valid for ${leaf.dnsNames.join(", ")}, not ${host}`;
}

/**
 * Checks that `parent` signed `child`: the parent must be a CA, and the signature must verify
 * under its key. Results are cached on the child per parent key. Returns Go's error text.
 */
export function checkSignatureFrom(child: ParsedCertificate, parent: ParsedCertificate): string | undefined {
  if (parent.isCA !== true) return NOT_A_CA;
  if (child.signatureAlgorithm !== OID.ed25519 || parent.publicKeyAlgorithm !== OID.ed25519) {
    return UNSUPPORTED_ALGORITHM;
  }
  let ok = child.signatureChecks.get(parent.publicKeyHex);
  if (ok === undefined) {
    try {
      ok = verify(null, child.tbs, publicKeyFromRaw(parent.publicRaw), child.signature);
    } catch {
      ok = false;
    }
    child.signatureChecks.set(parent.publicKeyHex, ok);
  }
  return ok ? undefined : SIGNATURE_FAILURE;
}

/** True if `caCertPem`'s key signed the first certificate of `certPem` (a real, cached check). */
export function certificateSignedBy(certPem: string, caCertPem: string): boolean {
  const [child] = parseCertificateBundle(certPem);
  const [parent] = parseCertificateBundle(caCertPem);
  return !!child && !!parent && checkSignatureFrom(child, parent) === undefined;
}

/** Byte equality; parsed certificates are shared through the cache, so usually identity. */
function sameCertificate(a: ParsedCertificate, b: ParsedCertificate): boolean {
  return a === b || (a.der.length === b.der.length && Buffer.compare(a.der, b.der) === 0);
}

interface Search {
  chain?: ParsedCertificate[];
  error: string;
}

/**
 * Depth-first search for a path to a root, in the way Go's buildChains behaves: candidate
 * parents are those whose subject is the certificate's issuer (roots first, then
 * intermediates; a matching key ID first); a candidate that fails its signature or validity
 * check is remembered as a hint for the "unknown authority" text, and a candidate that signs
 * but is out of its validity window makes that the error.
 */
function buildChain(
  cert: ParsedCertificate,
  chain: ParsedCertificate[],
  intermediates: readonly ParsedCertificate[],
  roots: readonly ParsedCertificate[],
  nowUnix: number,
): Search {
  let error: string | undefined;
  let hint: { error: string; cert: ParsedCertificate } | undefined;
  const candidates = [
    ...orderedParents(cert, roots).map((c) => ({ c, root: true })),
    ...orderedParents(cert, intermediates).map((c) => ({ c, root: false })),
  ];
  for (const { c, root } of candidates) {
    if (chain.some((x) => sameCertificate(x, c))) continue;
    const sigError = checkSignatureFrom(cert, c);
    if (sigError) {
      hint ??= { error: sigError, cert: c };
      continue;
    }
    const timeError = validityError(c, nowUnix);
    if (timeError) {
      error = timeError;
      hint ??= { error: timeError, cert: c };
      continue;
    }
    if (root) return { chain: [...chain, c], error: "" };
    if (chain.length >= MAX_CHAIN_DEPTH) continue;
    const deeper = buildChain(c, [...chain, c], intermediates, roots, nowUnix);
    if (deeper.chain) return deeper;
    error = deeper.error;
  }
  if (error === undefined) {
    error = hint
      ? `${UNKNOWN_AUTHORITY} (possibly because of ${JSON.stringify(hint.error)} while trying to verify candidate authority certificate ${JSON.stringify(hint.cert.subject.commonName || hint.cert.serialHex)})`
      : UNKNOWN_AUTHORITY;
  }
  return { error };
}

function orderedParents(cert: ParsedCertificate, pool: readonly ParsedCertificate[]): ParsedCertificate[] {
  const named = pool.filter((p) => p.subjectKey === cert.issuerKey);
  if (!cert.authorityKeyId || named.length < 2) return named;
  const rank = (p: ParsedCertificate) =>
    p.subjectKeyId === cert.authorityKeyId ? 0 : p.subjectKeyId === undefined ? 1 : 2;
  return named.sort((a, b) => rank(a) - rank(b));
}
