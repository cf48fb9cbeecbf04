// The node's view of the CA module: what the control plane signs, verifies and parses. Parsed
// certificates and RootCA objects are cached by their PEM, so a heartbeat never re-parses.
import { authorizeRoles, type PeerIdentity as CaPeerIdentity } from "../ca/auth";
import { certificateInfo, type CertificateInfo } from "../ca/certificate";
import { certRoleOf, MANAGER_ROLE, WORKER_ROLE } from "../ca/constants";
import { generateJoinToken, matchJoinToken as matchToken } from "../ca/jointoken";
import { type KeyPair, keyPairFromPem } from "../ca/keys";
import type { RandomSource } from "../ca/random";
import { RootCA } from "../ca/rootca";
import { rootCAFromState, startRootRotation } from "../ca/rotation";
import { certificateSignedBy, verifyChain } from "../ca/verify";
import type { Cluster, JoinTokens, NodeRole } from "../api/types";
import { GrpcError } from "../transport/grpc-error";
import type { CertRole, PeerIdentity } from "../transport/identity";

export { MANAGER_ROLE, WORKER_ROLE };

const rootCache = new Map<string, RootCA>();

/** The signing CA of a cluster object (cached by its key). */
export function signerOf(cluster: Cluster, epochMs?: number): RootCA {
  const rot = cluster.rootCA.rootRotation;
  const key = `${cluster.rootCA.caKeyPem}\n${rot?.caKeyPem ?? ""}\n${epochMs ?? ""}`;
  let ca = rootCache.get(key);
  if (!ca) {
    // During a root rotation the new key signs, presenting the cross-signed certificate, so the
    // chain still verifies against the old root (SwarmKit RootCAFromAPI).
    ca = rootCAFromState(
      {
        caCertPem: cluster.rootCA.caCertPem,
        caKey: keyPairFromPem(cluster.rootCA.caKeyPem),
        rotation: rot
          ? {
              caCertPem: rot.caCertPem,
              caKey: keyPairFromPem(rot.caKeyPem),
              crossSignedCaCertPem: rot.crossSignedCACertPem,
            }
          : null,
      },
      epochMs,
    );
    if (rootCache.size > 64) rootCache.clear();
    rootCache.set(key, ca);
  }
  return ca;
}

export function createRootCA(
  rand: RandomSource,
  now: number,
  epochMs?: number,
): { certPem: string; keyPem: string; digest: string } {
  const ca = RootCA.create(rand, { now, epochMs });
  return { certPem: ca.certPem, keyPem: ca.key!.privateKeyPem, digest: ca.digest() };
}

export function newJoinTokens(caCertPem: string, rand: RandomSource): JoinTokens {
  const ca = { digest: () => digestOf(caCertPem) };
  return { worker: generateJoinToken(ca, rand), manager: generateJoinToken(ca, rand) };
}

export function digestOf(caCertPem: string): string {
  return new RootCA({ certPem: caCertPem }).digest();
}

export function matchJoinToken(token: string, tokens: JoinTokens): NodeRole | null {
  return matchToken(token, tokens);
}

export function signNodeCertificate(
  cluster: Cluster,
  req: { nodeId: string; role: NodeRole; publicKeyPem: string; nowMs: number },
  rand: RandomSource,
  epochMs?: number,
): string {
  return signerOf(cluster, epochMs).issueNodeCertificate({
    nodeId: req.nodeId,
    role: certRoleOf(req.role),
    clusterId: cluster.id,
    publicKey: req.publicKeyPem,
    now: req.nowMs,
    expiryMs: cluster.spec.caConfig.nodeCertExpiryMs,
    rand,
  }).certPem;
}

export function keyPairOf(privateKeyPem: string): KeyPair {
  return keyPairFromPem(privateKeyPem);
}

export function certInfo(pem: string, epochMs?: number): CertificateInfo {
  return certificateInfo(pem, epochMs);
}

/** TLS alert texts a Go client sees when the server rejects its certificate. */
function handshakeError(x509Error: string): GrpcError {
  const alert = x509Error.includes("expired")
    ? "expired certificate"
    : x509Error.includes("unknown authority")
      ? "unknown certificate authority"
      : "bad certificate";
  return new GrpcError(
    "Unavailable",
    `connection error: desc = "transport: authentication handshake failed: remote error: tls: ${alert}"`,
  );
}

/**
 * The server's handshake check of a client chain (VerifyClientCertIfGiven): none is fine (the
 * insecure CA methods), a chain that does not verify against the trust roots at `now` ends the
 * handshake with a TLS alert.
 */
export function verifyPeerChain(
  chain: string | null,
  trustRoots: readonly string[],
  now: number,
  epochMs?: number,
): PeerIdentity | GrpcError | null {
  if (!chain) return null;
  const v = verifyChain(chain, trustRoots, now, { epochMs });
  if (!v.ok) return handshakeError(v.error);
  const role = v.info.role;
  return { nodeId: v.info.nodeId, role: role as CertRole, clusterId: v.info.clusterId };
}

/** The client's check of a manager's certificate (ServerName swarm-manager, our trust root). */
export function verifyServerChain(
  chain: string | null,
  trustRoot: string,
  now: number,
  epochMs?: number,
): GrpcError | null {
  if (!chain)
    return new GrpcError(
      "Unavailable",
      `connection error: desc = "transport: authentication handshake failed: tls: no certificate"`,
    );
  const v = verifyChain(chain, trustRoot, now, { epochMs, serverName: MANAGER_ROLE });
  if (!v.ok)
    return new GrpcError(
      "Unavailable",
      `connection error: desc = "transport: authentication handshake failed: ${v.error}"`,
    );
  return null;
}

/**
 * Per-call authorization with the CA module's checks and texts (SwarmKit ca/auth.go
 * AuthorizeForwardedRoleAndOrg): the role must be allowed, the node not removed, and the
 * organization this cluster's; a forwarded call is checked on the forwarder, then on the
 * identity it carries.
 */
export function authorizePeer(
  peer: PeerIdentity | null,
  allowed: readonly CertRole[],
  clusterId: string,
  blacklist: Readonly<Record<string, unknown>> | undefined,
  forwarded?: PeerIdentity | null,
): GrpcError | null {
  const r = authorizeRoles({
    peer: peer && caIdentity(peer),
    roles: allowed,
    clusterId,
    blacklist,
    forwarded: forwarded
      ? { nodeId: forwarded.nodeId, organization: forwarded.clusterId, roles: [forwarded.role] }
      : null,
  });
  return r.ok ? null : new GrpcError(r.error.code, r.error.message);
}

/** The CA module's identity shape; authorizeRoles reads only the subject fields. */
function caIdentity(p: PeerIdentity): CaPeerIdentity {
  return {
    nodeId: p.nodeId,
    roles: [p.role],
    organization: p.clusterId,
    certificate: undefined as unknown as CertificateInfo,
  };
}

/** Starts a root rotation (phase 1 of SWARMKIT.md §2.5): a new root, cross-signed by the old. */
export function newRootRotation(
  cluster: Cluster,
  rand: RandomSource,
  now: number,
  epochMs?: number,
): NonNullable<Cluster["rootCA"]["rootRotation"]> {
  const r = startRootRotation(signerOf(cluster, epochMs), rand, now);
  return {
    caCertPem: r.caCertPem,
    caKeyPem: r.caKey.privateKeyPem,
    crossSignedCACertPem: r.crossSignedCaCertPem,
  };
}

/** Whether a node certificate's leaf was signed by the key of `caCertPem`. */
export function issuedBy(certPem: string, caCertPem: string): boolean {
  return certificateSignedBy(certPem, caCertPem);
}
