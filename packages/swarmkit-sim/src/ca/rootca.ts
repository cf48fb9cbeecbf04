// The cluster's certificate authority (SK ca/certificates.go RootCA, ca/server.go signing):
// the trusted root certificate bundle, and, on the managers, the key that signs node
// certificates. During a root rotation the signing certificate and key differ from the trust
// root (see rotation.ts).
import { createHash } from "node:crypto";
import {
  authorityKeyIdExtension,
  caExtensions,
  commonNameOnly,
  encodeTbs,
  keyIdOf,
  nodeExtensions,
  nodeSubject,
  randomSerial,
  signTbs,
  subjectKeyIdExtension,
} from "./certificate-builder";
import {
  type CertificateInfo,
  infoOf,
  type ParsedCertificate,
  parseCertificate,
  parseCertificateBundle,
  rememberIssued,
} from "./certificate";
import {
  CA_ROLE,
  CERT_BACKDATE_MS,
  type CertRole,
  DEFAULT_NODE_CERT_EXPIRATION_MS,
  MANAGER_ROLE,
  MIN_NODE_CERT_EXPIRATION_MS,
  ROOT_CA_BACKDATE_MS,
  ROOT_CA_EXPIRATION_MS,
  WORKER_ROLE,
} from "./constants";
import { toHex } from "./base36";
import { generateKeyPair, type KeyPair, type PublicKeyInput, rawPublicKey } from "./keys";
import { OID } from "./oids";
import type { RandomSource } from "./random";
import { checkSignatureFrom } from "./verify";
import { DEFAULT_EPOCH_MS, roundToMinute, wallMs } from "./x509-time";

export interface NodeCertificateRequest {
  nodeId: string;
  role: CertRole;
  clusterId: string;
  /** The node's public key (its CSR carries only this that SwarmKit trusts). */
  publicKey: PublicKeyInput;
  /** Simulated ms. */
  now: number;
  /** Requested lifetime; below 1 h (or absent) the signer uses the 2160 h default, as SwarmKit's does. */
  expiryMs?: number;
  /** Source of the serial number. */
  rand: RandomSource;
}

export interface IssuedCertificate {
  /** The leaf followed by the signer's intermediates: what the node stores as swarm-node.crt. */
  certPem: string;
  leafPem: string;
  info: CertificateInfo;
}

export interface RootCAMaterial {
  /** The trusted root certificate bundle (Cluster.RootCA.CACert). */
  certPem: string;
  /** The signing key, when this process may sign (managers); absent on workers. */
  key?: KeyPair | null;
  /** The certificate that matches `key`, when it is not the root itself (the cross-signed one). */
  signingCertPem?: string;
  /** Appended to every issued certificate so the chain verifies against `certPem`. */
  intermediatesPem?: string;
  epochMs?: number;
}

export class RootCA {
  /** The trusted root bundle, byte for byte: the digest and the join tokens are over this text. */
  readonly certPem: string;
  readonly key: KeyPair | null;
  readonly intermediatesPem: string;
  readonly epochMs: number;
  private readonly signingCert: ParsedCertificate | null;
  private digestCache: string | undefined;

  constructor(m: RootCAMaterial) {
    this.certPem = m.certPem;
    this.key = m.key ?? null;
    this.intermediatesPem = m.intermediatesPem ?? "";
    this.epochMs = m.epochMs ?? DEFAULT_EPOCH_MS;
    // NewRootCA's checks: every root in the bundle is a self-signed CA certificate.
    const roots = parseCertificateBundle(m.certPem);
    if (roots.length === 0) throw new Error("no valid root CA certificates found");
    for (const r of roots) {
      const err = r.isCA === true ? checkSignatureFrom(r, r) : "certificate not a CA";
      if (err) throw new Error(`error while validating Root CA Certificate: ${err}`);
    }
    this.signingCert = this.key ? parseCertificate(m.signingCertPem ?? m.certPem) : null;
    if (this.signingCert && this.key && this.signingCert.publicKeyHex !== toHex(this.key.publicRaw)) {
      throw new Error("certificate key mismatch");
    }
  }

  /**
   * A new self-signed root, as `CreateRootCA("swarm-ca")` makes it through cfssl initca:
   * CN swarm-ca, 20 years, NotBefore backdated 5 minutes from the current minute.
   */
  static create(rand: RandomSource, opts: { now: number; epochMs?: number; cn?: string }): RootCA {
    const epochMs = opts.epochMs ?? DEFAULT_EPOCH_MS;
    const key = generateKeyPair(rand);
    const name = commonNameOnly(opts.cn ?? CA_ROLE);
    const notBeforeUnixMs = roundToMinute(wallMs(opts.now, epochMs)) - ROOT_CA_BACKDATE_MS;
    const tbs = encodeTbs({
      serial: randomSerial(rand),
      issuer: name,
      validity: { notBeforeUnixMs, notAfterUnixMs: notBeforeUnixMs + ROOT_CA_EXPIRATION_MS },
      subject: name,
      publicRaw: key.publicRaw,
      extensions: caExtensions(key.publicRaw),
    });
    const cert = rememberIssued(signTbs(tbs, key.privateKey), key.publicRaw);
    return new RootCA({ certPem: cert.pem, key, epochMs });
  }

  get canSign(): boolean {
    return this.key !== null;
  }

  /** "sha256:<hex>" over the exact bytes of the root bundle (digest.FromBytes). */
  digest(): string {
    this.digestCache ??= `sha256:${createHash("sha256").update(this.certPem, "utf8").digest("hex")}`;
    return this.digestCache;
  }

  /** The root certificate (the first of the bundle). */
  get root(): ParsedCertificate {
    return parseCertificate(this.certPem);
  }

  /**
   * Signs a node certificate: subject O=<cluster>, OU=<role>, CN=<node>, issuer swarm-ca,
   * DNS SANs [role, node] (+ swarm-ca for managers), NotBefore = now (to the minute) − 1 h,
   * NotAfter = now (to the minute) + expiry.
   */
  issueNodeCertificate(req: NodeCertificateRequest): IssuedCertificate {
    if (!this.key || !this.signingCert) throw new Error("no valid signer found");
    if (req.role !== MANAGER_ROLE && req.role !== WORKER_ROLE) throw new Error(`invalid role: ${req.role}`);
    const expiry =
      req.expiryMs === undefined || !(req.expiryMs >= MIN_NODE_CERT_EXPIRATION_MS)
        ? DEFAULT_NODE_CERT_EXPIRATION_MS
        : req.expiryMs;
    const publicRaw = rawPublicKey(req.publicKey);
    const notBeforeUnixMs = roundToMinute(wallMs(req.now, this.epochMs)) - CERT_BACKDATE_MS;
    const dnsNames = req.role === MANAGER_ROLE ? [req.role, req.nodeId, CA_ROLE] : [req.role, req.nodeId];
    const tbs = encodeTbs({
      serial: randomSerial(req.rand),
      issuer: this.signingCert.subjectRaw,
      validity: { notBeforeUnixMs, notAfterUnixMs: notBeforeUnixMs + CERT_BACKDATE_MS + expiry },
      subject: nodeSubject(req.nodeId, req.role, req.clusterId),
      publicRaw,
      extensions: nodeExtensions({ publicRaw, issuerKeyId: signerKeyId(this.signingCert), dnsNames }),
    });
    const leaf = rememberIssued(signTbs(tbs, this.key.privateKey), this.key.publicRaw);
    return { certPem: leaf.pem + this.intermediatesPem, leafPem: leaf.pem, info: infoOf(leaf, this.epochMs) };
  }

  /**
   * Signs another CA certificate with this CA's key, keeping everything else (serial, subject,
   * validity, key, extensions) as it is (SK CrossSignCACertificate). The result chains the
   * other CA's certificates to this root.
   */
  crossSign(otherCaCertPem: string): string {
    if (!this.key || !this.signingCert) throw new Error("no valid signer found");
    let other: ParsedCertificate;
    try {
      other = parseCertificate(otherCaCertPem);
    } catch {
      throw new Error("could not parse new CA certificate");
    }
    if (other.isCA !== true) throw new Error("certificate not a CA");
    // Go's CreateCertificate leaves the authority key ID out here, because both roots are named
    // CN=swarm-ca (issuer == subject). We point it at the signing key: Go's chain building does
    // not need it, but verifiers such as OpenSSL otherwise take a certificate whose issuer and
    // subject match for self-signed and stop there.
    const extensions = other.extensions.filter((e) => e.oid !== OID.authorityKeyIdentifier).map((e) => e.raw);
    if (!other.subjectKeyId) extensions.push(subjectKeyIdExtension(keyIdOf(other.publicRaw)));
    const parentKeyId = signerKeyId(this.signingCert);
    if (parentKeyId) extensions.push(authorityKeyIdExtension(parentKeyId));
    const issuer = this.signingCert.subjectRaw;
    const tbs = encodeTbs({
      serial: other.serialRaw,
      issuer,
      validity: other.validityRaw,
      subject: other.subjectRaw,
      publicRaw: other.publicRaw,
      extensions,
    });
    return rememberIssued(signTbs(tbs, this.key.privateKey), this.key.publicRaw).pem;
  }
}

function signerKeyId(cert: ParsedCertificate): Uint8Array | undefined {
  return cert.subjectKeyId ? Uint8Array.from(Buffer.from(cert.subjectKeyId, "hex")) : undefined;
}
