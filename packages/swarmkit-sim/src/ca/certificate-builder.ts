// Writes X.509 v3 certificates with the DER encoder and signs them with Ed25519. The shapes
// follow what cfssl produces for SwarmKit: a self-signed root with CN swarm-ca, node
// certificates with subject O=<cluster>, OU=<role>, CN=<node>, and the same extensions.
import { createHash, sign, type KeyObject } from "node:crypto";
import {
  bitString,
  boolean,
  directoryString,
  explicit,
  implicitPrimitive,
  octetString,
  oid,
  sequence,
  set,
  smallInteger,
  unsignedInteger,
  x509Time,
} from "./der";
import { spkiOf } from "./keys";
import { OID } from "./oids";
import type { RandomSource } from "./random";

const ED25519_ALGORITHM = sequence(oid(OID.ed25519));
const VERSION_3 = explicit(0, smallInteger(2));

/** An X.509 Name from attributes in order, one attribute per RDN (as Go writes pkix.Name). */
export function encodeName(attrs: ReadonlyArray<readonly [string, string]>): Uint8Array {
  return sequence(...attrs.map(([type, value]) => set(sequence(oid(type), directoryString(value)))));
}

/** Subject of a node certificate: O, OU, CN in the order Go's pkix.Name.ToRDNSequence emits. */
export function nodeSubject(nodeId: string, role: string, clusterId: string): Uint8Array {
  return encodeName([
    [OID.organization, clusterId],
    [OID.organizationalUnit, role],
    [OID.commonName, nodeId],
  ]);
}

export function commonNameOnly(cn: string): Uint8Array {
  return encodeName([[OID.commonName, cn]]);
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical
    ? sequence(oid(id), boolean(true), octetString(value))
    : sequence(oid(id), octetString(value));
}

// Key usage bits are numbered from the most significant bit of the first byte (RFC 5280).
// digitalSignature(0) + keyEncipherment(2) = 0b101 -> 0xa0 with 5 unused bits;
// keyCertSign(5) + cRLSign(6) -> 0x06 with 1 unused bit.
const NODE_KEY_USAGE = extension(OID.keyUsage, true, bitString(Uint8Array.of(0xa0), 5));
const CA_KEY_USAGE = extension(OID.keyUsage, true, bitString(Uint8Array.of(0x06), 1));
const NODE_EXT_KEY_USAGE = extension(
  OID.extKeyUsage,
  false,
  sequence(oid(OID.serverAuth), oid(OID.clientAuth)),
);
const NODE_BASIC_CONSTRAINTS = extension(OID.basicConstraints, true, sequence());
const CA_BASIC_CONSTRAINTS = extension(OID.basicConstraints, true, sequence(boolean(true)));

/** Subject key identifier: SHA-1 over the public key bits, as Go and cfssl compute it. */
export function keyIdOf(publicRaw: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha1").update(publicRaw).digest());
}

export function subjectKeyIdExtension(keyId: Uint8Array): Uint8Array {
  return extension(OID.subjectKeyIdentifier, false, octetString(keyId));
}

export function authorityKeyIdExtension(keyId: Uint8Array): Uint8Array {
  return extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, keyId)));
}

const ascii = new TextEncoder();

function dnsNamesExtension(names: readonly string[]): Uint8Array {
  // dNSName is [2] IMPLICIT IA5String: the name's bytes under the context tag 0x82.
  return extension(
    OID.subjectAltName,
    false,
    sequence(...names.map((n) => implicitPrimitive(2, ascii.encode(n)))),
  );
}

/** A serial number as cfssl makes it: 20 random bytes with the top bit cleared (positive). */
export function randomSerial(rand: RandomSource): Uint8Array {
  const b = new Uint8Array(rand.bytes(20));
  b[0] &= 0x7f;
  return unsignedInteger(b);
}

export interface TbsFields {
  /** The complete serial INTEGER TLV. */
  serial: Uint8Array;
  issuer: Uint8Array;
  /** The complete Validity TLV, or the two instants (Unix ms) to encode. */
  validity: Uint8Array | { notBeforeUnixMs: number; notAfterUnixMs: number };
  subject: Uint8Array;
  publicRaw: Uint8Array;
  extensions: Uint8Array[];
}

export function encodeTbs(f: TbsFields): Uint8Array {
  const validity =
    f.validity instanceof Uint8Array
      ? f.validity
      : sequence(x509Time(f.validity.notBeforeUnixMs), x509Time(f.validity.notAfterUnixMs));
  return sequence(
    VERSION_3,
    f.serial,
    ED25519_ALGORITHM,
    f.issuer,
    validity,
    f.subject,
    spkiOf(f.publicRaw),
    explicit(3, sequence(...f.extensions)),
  );
}

/** Signs a TBSCertificate and wraps it into a Certificate (DER). */
export function signTbs(tbs: Uint8Array, key: KeyObject): Uint8Array {
  const signature = new Uint8Array(sign(null, tbs, key));
  return sequence(tbs, ED25519_ALGORITHM, bitString(signature));
}

export function caExtensions(publicRaw: Uint8Array): Uint8Array[] {
  return [CA_KEY_USAGE, CA_BASIC_CONSTRAINTS, subjectKeyIdExtension(keyIdOf(publicRaw))];
}

export function nodeExtensions(opts: {
  publicRaw: Uint8Array;
  issuerKeyId: Uint8Array | undefined;
  dnsNames: readonly string[];
}): Uint8Array[] {
  const exts = [
    NODE_KEY_USAGE,
    NODE_EXT_KEY_USAGE,
    NODE_BASIC_CONSTRAINTS,
    subjectKeyIdExtension(keyIdOf(opts.publicRaw)),
  ];
  if (opts.issuerKeyId) exts.push(authorityKeyIdExtension(opts.issuerKeyId));
  exts.push(dnsNamesExtension(opts.dnsNames));
  return exts;
}
