// Takes X.509 certificates apart, once: every parse is cached by the PEM text (and each block by
// its base64 body), because the same certificates are presented on every connection and
// renewal of a 10,000-node cluster. What callers mostly want is CertificateInfo, the handful of
// fields SwarmKit reads from a node certificate.
import { createHash } from "node:crypto";
import { toHex } from "./base36";
import { TAG } from "./der";
import {
  childrenOf,
  contentOf,
  expectTlv,
  readHex,
  readOid,
  readString,
  readTime,
  rawOf,
  readTlv,
  type Tlv,
} from "./der-reader";
import { publicKeyPemOf } from "./keys";
import { OID } from "./oids";
import { decodePemBlocks, encodePem, wrapPem } from "./pem";
import { DEFAULT_EPOCH_MS, simMs } from "./x509-time";

export interface DistinguishedName {
  commonName: string;
  organizationalUnits: string[];
  organizations: string[];
}

export interface Extension {
  oid: string;
  critical: boolean;
  /** The whole Extension TLV, to copy into a re-signed certificate. */
  raw: Uint8Array;
}

/** Everything read from one certificate. Treat as immutable. */
export interface ParsedCertificate {
  readonly der: Uint8Array;
  /** The certificate alone, as Go's pem.Encode writes it. */
  readonly pem: string;
  /** Lowercase hex SHA-256 of the DER. */
  readonly fingerprint: string;
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array;
  readonly serialHex: string;
  readonly serialRaw: Uint8Array;
  readonly issuer: DistinguishedName;
  readonly issuerRaw: Uint8Array;
  /** Hex of issuerRaw, for cheap exact name comparison. */
  readonly issuerKey: string;
  readonly subject: DistinguishedName;
  readonly subjectRaw: Uint8Array;
  readonly subjectKey: string;
  readonly validityRaw: Uint8Array;
  readonly notBeforeUnixMs: number;
  readonly notAfterUnixMs: number;
  readonly spkiRaw: Uint8Array;
  readonly publicKeyAlgorithm: string;
  /** The raw public key bits (32 bytes for Ed25519). */
  readonly publicRaw: Uint8Array;
  readonly publicKeyHex: string;
  /** True when basicConstraints says CA, false when it says not, undefined when absent. */
  readonly isCA: boolean | undefined;
  readonly subjectKeyId: string | undefined;
  readonly authorityKeyId: string | undefined;
  readonly dnsNames: readonly string[];
  readonly extensions: readonly Extension[];
  /** Results of signature checks against issuer keys (hex of the raw key) already made. */
  readonly signatureChecks: Map<string, boolean>;
  /** CertificateInfo views per epoch, built once. */
  readonly views: Map<number, CertificateInfo>;
}

/** The fields of a node certificate SwarmKit cares about. Times are simulated ms. */
export interface CertificateInfo {
  /** Subject CN: the node ID (or "swarm-ca" for a CA certificate). */
  readonly nodeId: string;
  /** First subject OU: "swarm-manager" or "swarm-worker" ("" for a CA certificate). */
  readonly role: string;
  /** First subject O: the cluster ID ("" for a CA certificate). */
  readonly clusterId: string;
  readonly notBefore: number;
  readonly notAfter: number;
  /** Issuer CN ("swarm-ca"). */
  readonly issuer: string;
  readonly publicKeyPem: string;
  /** Lowercase hex SHA-256 of the certificate DER. */
  readonly fingerprint: string;
  readonly serialHex: string;
  readonly dnsNames: readonly string[];
  readonly isCA: boolean;
  /** The certificate alone, PEM. */
  readonly pem: string;
}

export class MalformedCertificateError extends Error {
  constructor(cause?: unknown) {
    super("x509: malformed certificate", cause === undefined ? undefined : { cause });
    this.name = "MalformedCertificateError";
  }
}

const CACHE_MAX = 100_000;
const byBody = new Map<string, ParsedCertificate>();
const byPem = new Map<string, readonly ParsedCertificate[]>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}

/**
 * Forgets every parsed certificate and remembered signature check (the caches are bounded
 * anyway; this is for measuring cold paths and for long runs that want the memory back).
 */
export function clearCertificateCache(): void {
  byBody.clear();
  byPem.clear();
}

/** Every CERTIFICATE block of a PEM bundle, parsed (cached by the exact text). */
export function parseCertificateBundle(pem: string): readonly ParsedCertificate[] {
  const hit = byPem.get(pem);
  if (hit) return hit;
  const certs: ParsedCertificate[] = [];
  for (const block of decodePemBlocks(pem)) {
    if (block.type !== "CERTIFICATE") continue;
    certs.push(byBody.get(block.body) ?? remember(byBody, block.body, parseDer(block.der)));
  }
  return remember(byPem, pem, certs);
}

/** The first certificate of a PEM text; throws when there is none or it is malformed. */
export function parseCertificate(pem: string): ParsedCertificate {
  const certs = parseCertificateBundle(pem);
  if (certs.length === 0) throw new MalformedCertificateError();
  return certs[0];
}

/** CertificateInfo of the first certificate (the leaf) of a PEM text. */
export function certificateInfo(pem: string, epochMs = DEFAULT_EPOCH_MS): CertificateInfo {
  return infoOf(parseCertificate(pem), epochMs);
}

/**
 * A node's TLSInfo as SwarmKit's agent reports it in its description: the subject and public key
 * of the CA that signed its certificate (the chain's intermediate, the cross-signed new root
 * during a root rotation, else the root it trusts). The root-rotation reconciler judges from it
 * whether a node has converged: what the node holds, not what the CA issued (an issued
 * certificate the node never received does not count). Undefined without a certificate.
 */
export function certIssuerInfo(
  chainPem: string,
  rootPem: string,
): { certIssuerSubject: string; certIssuerPublicKey: string } | undefined {
  if (!chainPem) return undefined;
  const chain = parseCertificateBundle(chainPem);
  const issuer = chain[1] ?? (rootPem ? parseCertificateBundle(rootPem)[0] : undefined);
  if (!issuer) return undefined;
  return {
    certIssuerSubject: `CN=${issuer.subject.commonName}`,
    certIssuerPublicKey: infoOf(issuer).publicKeyPem,
  };
}

export function infoOf(c: ParsedCertificate, epochMs = DEFAULT_EPOCH_MS): CertificateInfo {
  let view = c.views.get(epochMs);
  if (!view) {
    view = Object.freeze({
      nodeId: c.subject.commonName,
      role: c.subject.organizationalUnits[0] ?? "",
      clusterId: c.subject.organizations[0] ?? "",
      notBefore: simMs(c.notBeforeUnixMs, epochMs),
      notAfter: simMs(c.notAfterUnixMs, epochMs),
      issuer: c.issuer.commonName,
      publicKeyPem: publicKeyPemOf(c.publicRaw),
      fingerprint: c.fingerprint,
      serialHex: c.serialHex,
      dnsNames: c.dnsNames,
      isCA: c.isCA === true,
      pem: c.pem,
    });
    c.views.set(epochMs, view);
  }
  return view;
}

/**
 * Records a signature fact we know without checking: the CA just made this signature with the
 * private key whose public half is `issuerPublicRaw` (Ed25519 signing is deterministic and
 * verifies by construction). Verifying a certificate we issued in this process is then a cache
 * hit; any other bytes (a tampered or foreign certificate) still get a real signature check.
 */
export function rememberIssued(der: Uint8Array, issuerPublicRaw: Uint8Array): ParsedCertificate {
  const body = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString("base64");
  const c = parseDer(der, wrapPem("CERTIFICATE", body));
  c.signatureChecks.set(toHex(issuerPublicRaw), true);
  remember(byBody, body, c);
  remember(byPem, c.pem, [c]);
  return c;
}

/** Parses one DER certificate (not cached: use the PEM functions). */
export function parseDer(der: Uint8Array, pem?: string): ParsedCertificate {
  try {
    return parseDerUnchecked(der, pem ?? encodePem("CERTIFICATE", der));
  } catch (e) {
    throw new MalformedCertificateError(e);
  }
}

function parseDerUnchecked(bytes: Uint8Array, pem: string): ParsedCertificate {
  // One Buffer view for the whole parse: the readers slice strings and hex straight out of it.
  const der = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const certTlv = expectTlv(der, 0, TAG.SEQUENCE);
  if (certTlv.end !== der.length) throw new Error("trailing data after certificate");
  const [tbsTlv, algTlv, sigTlv, ...extra] = childrenOf(der, certTlv);
  if (!tbsTlv || !algTlv || !sigTlv || extra.length > 0) throw new Error("certificate needs 3 parts");
  if (tbsTlv.tag !== TAG.SEQUENCE || algTlv.tag !== TAG.SEQUENCE || sigTlv.tag !== TAG.BIT_STRING) {
    throw new Error("bad certificate structure");
  }
  const signatureAlgorithm = algorithmOid(der, algTlv);
  const sigContent = contentOf(der, sigTlv);
  if (sigContent.length < 1 || sigContent[0] !== 0) throw new Error("bad signature bit string");

  const fields = childrenOf(der, tbsTlv);
  let i = 0;
  let version = 1;
  if (fields[i]?.tag === 0xa0) {
    const v = expectTlv(der, fields[i].contentStart, TAG.INTEGER, fields[i].end);
    version = contentOf(der, v)[0] + 1;
    i++;
  }
  const serialTlv = fields[i++];
  const innerAlgTlv = fields[i++];
  const issuerTlv = fields[i++];
  const validityTlv = fields[i++];
  const subjectTlv = fields[i++];
  const spkiTlv = fields[i++];
  if (!spkiTlv || serialTlv.tag !== TAG.INTEGER || innerAlgTlv.tag !== TAG.SEQUENCE)
    throw new Error("bad TBS");
  if (algorithmOid(der, innerAlgTlv) !== signatureAlgorithm) throw new Error("signature algorithm mismatch");
  if (issuerTlv.tag !== TAG.SEQUENCE || subjectTlv.tag !== TAG.SEQUENCE || validityTlv.tag !== TAG.SEQUENCE) {
    throw new Error("bad TBS");
  }
  const [nbTlv, naTlv] = childrenOf(der, validityTlv);
  if (!nbTlv || !naTlv) throw new Error("bad validity");

  const spkiParts = childrenOf(der, spkiTlv);
  if (spkiParts.length !== 2 || spkiParts[1].tag !== TAG.BIT_STRING) throw new Error("bad public key info");
  const publicKeyAlgorithm = algorithmOid(der, spkiParts[0]);
  const keyBits = contentOf(der, spkiParts[1]);
  if (keyBits[0] !== 0) throw new Error("bad public key bits");
  const publicRaw = keyBits.subarray(1);

  let isCA: boolean | undefined;
  let subjectKeyId: string | undefined;
  let authorityKeyId: string | undefined;
  let dnsNames: string[] = [];
  const extensions: Extension[] = [];
  for (; i < fields.length; i++) {
    if (fields[i].tag !== 0xa3) continue; // issuer/subject unique IDs: not used here
    if (version !== 3) throw new Error("extensions in a non-v3 certificate");
    const list = expectTlv(der, fields[i].contentStart, TAG.SEQUENCE, fields[i].end);
    for (const extTlv of childrenOf(der, list)) {
      const parts = childrenOf(der, extTlv);
      const id = readOid(der, parts[0]);
      const critical = parts.length === 3 && parts[1].tag === TAG.BOOLEAN && der[parts[1].contentStart] !== 0;
      const valueTlv = parts[parts.length - 1];
      if (valueTlv.tag !== TAG.OCTET_STRING) throw new Error("bad extension value");
      extensions.push({ oid: id, critical, raw: rawOf(der, extTlv) });
      const value = readTlv(der, valueTlv.contentStart, valueTlv.end);
      if (id === OID.basicConstraints) {
        const bc = childrenOf(der, value);
        isCA = bc.length > 0 && bc[0].tag === TAG.BOOLEAN && der[bc[0].contentStart] !== 0;
      } else if (id === OID.subjectKeyIdentifier) {
        subjectKeyId = readHex(der, value);
      } else if (id === OID.authorityKeyIdentifier) {
        const keyId = childrenOf(der, value).find((t) => t.tag === 0x80);
        if (keyId) authorityKeyId = readHex(der, keyId);
      } else if (id === OID.subjectAltName) {
        dnsNames = childrenOf(der, value)
          .filter((t) => t.tag === 0x82)
          .map((t) => readString(der, t));
      }
    }
  }

  return new Certificate(der, pem, {
    tbs: rawOf(der, tbsTlv),
    signatureAlgorithm,
    signature: sigContent.subarray(1),
    serialHex: readHex(der, serialTlv).replace(/^(00)+(?=.)/, ""),
    serialRaw: rawOf(der, serialTlv),
    issuer: readName(der, issuerTlv),
    issuerRaw: rawOf(der, issuerTlv),
    issuerKey: readHex(der, issuerTlv, true),
    subject: readName(der, subjectTlv),
    subjectRaw: rawOf(der, subjectTlv),
    subjectKey: readHex(der, subjectTlv, true),
    validityRaw: rawOf(der, validityTlv),
    notBeforeUnixMs: readTime(der, nbTlv),
    notAfterUnixMs: readTime(der, naTlv),
    spkiRaw: rawOf(der, spkiTlv),
    publicKeyAlgorithm,
    publicRaw,
    publicKeyHex: toHex(publicRaw),
    isCA,
    subjectKeyId,
    authorityKeyId,
    dnsNames,
    extensions,
  });
}

type CertificateFields = Omit<ParsedCertificate, "der" | "pem" | "fingerprint" | "signatureChecks" | "views">;

/** One parsed certificate; the fingerprint is computed on first use. */
class Certificate implements ParsedCertificate {
  readonly tbs!: Uint8Array;
  readonly signatureAlgorithm!: string;
  readonly signature!: Uint8Array;
  readonly serialHex!: string;
  readonly serialRaw!: Uint8Array;
  readonly issuer!: DistinguishedName;
  readonly issuerRaw!: Uint8Array;
  readonly issuerKey!: string;
  readonly subject!: DistinguishedName;
  readonly subjectRaw!: Uint8Array;
  readonly subjectKey!: string;
  readonly validityRaw!: Uint8Array;
  readonly notBeforeUnixMs!: number;
  readonly notAfterUnixMs!: number;
  readonly spkiRaw!: Uint8Array;
  readonly publicKeyAlgorithm!: string;
  readonly publicRaw!: Uint8Array;
  readonly publicKeyHex!: string;
  readonly isCA!: boolean | undefined;
  readonly subjectKeyId!: string | undefined;
  readonly authorityKeyId!: string | undefined;
  readonly dnsNames!: readonly string[];
  readonly extensions!: readonly Extension[];
  readonly signatureChecks = new Map<string, boolean>();
  readonly views = new Map<number, CertificateInfo>();
  private fingerprintHex: string | undefined;

  constructor(
    readonly der: Uint8Array,
    readonly pem: string,
    fields: CertificateFields,
  ) {
    Object.assign(this, fields);
  }

  get fingerprint(): string {
    this.fingerprintHex ??= createHash("sha256").update(this.der).digest("hex");
    return this.fingerprintHex;
  }
}

function algorithmOid(der: Uint8Array, alg: Tlv): string {
  const parts = childrenOf(der, alg);
  if (parts.length === 0) throw new Error("empty algorithm identifier");
  return readOid(der, parts[0]);
}

function readName(der: Uint8Array, name: Tlv): DistinguishedName {
  const out: DistinguishedName = { commonName: "", organizationalUnits: [], organizations: [] };
  for (const rdn of childrenOf(der, name)) {
    for (const atv of childrenOf(der, rdn)) {
      const [typeTlv, valueTlv] = childrenOf(der, atv);
      const type = readOid(der, typeTlv);
      const value = readString(der, valueTlv);
      if (type === OID.commonName) out.commonName = value;
      else if (type === OID.organizationalUnit) out.organizationalUnits.push(value);
      else if (type === OID.organization) out.organizations.push(value);
    }
  }
  return out;
}
