// The TLS side of the managers' RPC, with the CA's checks and Go's texts: the server's check of
// a client chain at the handshake (VerifyClientCertIfGiven), the client's check of a manager's
// chain (ServerName swarm-manager), and the per-call authorization of SwarmKit's ca/auth.go.
// The RPC server and client take these as their security hooks.
import { authorizeRoles, type PeerIdentity as CaPeerIdentity } from "../ca/auth";
import type { CertificateInfo } from "../ca/certificate";
import type { ParsedCertificate } from "../ca/certificate";
import { MANAGER_ROLE, WORKER_ROLE } from "../ca/constants";
import { methodAuthorization } from "../ca/methods";
import { publicKeyFromRaw, signingKeyFromPem } from "../ca/keys";
import { verifyChain } from "../ca/verify";
import { GrpcError } from "./grpc-error";
import type { AuthLevel, CertRole, Credentials, PeerIdentity, VerifiedPeer } from "./identity";

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

/** The leaf's public key, for the CertificateVerify check (null: not an Ed25519 key). */
function leafKey(leaf: ParsedCertificate): VerifiedPeer["publicKey"] | null {
  try {
    return publicKeyFromRaw(leaf.publicRaw);
  } catch {
    return null;
  }
}

/**
 * The server's handshake check of a client chain (VerifyClientCertIfGiven): none is fine (the
 * insecure CA methods), a chain that does not verify against the trust roots at `now` ends the
 * handshake with a TLS alert. The verified peer's key must then have signed the transcript.
 */
export function verifyPeerChain(
  chain: string | null,
  trustRoots: readonly string[],
  now: number,
  epochMs?: number,
): VerifiedPeer | GrpcError | null {
  if (!chain) return null;
  const v = verifyChain(chain, trustRoots, now, { epochMs });
  if (!v.ok) return handshakeError(v.error);
  const publicKey = leafKey(v.leaf);
  const role = v.info.role;
  if (!publicKey || (role !== MANAGER_ROLE && role !== WORKER_ROLE)) return handshakeError("bad certificate");
  return { peer: { nodeId: v.info.nodeId, role: role as CertRole, clusterId: v.info.clusterId }, publicKey };
}

/**
 * The client's check of a manager's certificate against our trust root, for ServerName
 * swarm-manager (the control plane) or swarm-ca (the CA: joins and renewals).
 */
export function verifyServerChain(
  chain: string | null,
  trustRoot: string,
  now: number,
  epochMs?: number,
  serverName: string = MANAGER_ROLE,
): VerifiedPeer | GrpcError {
  if (!chain)
    return new GrpcError(
      "Unavailable",
      `connection error: desc = "transport: authentication handshake failed: tls: no certificate"`,
    );
  const v = verifyChain(chain, trustRoot, now, { epochMs, serverName });
  if (!v.ok)
    return new GrpcError(
      "Unavailable",
      `connection error: desc = "transport: authentication handshake failed: ${v.error}"`,
    );
  const publicKey = leafKey(v.leaf);
  if (!publicKey)
    return new GrpcError(
      "Unavailable",
      `connection error: desc = "transport: authentication handshake failed: x509: unsupported public key type"`,
    );
  return {
    peer: { nodeId: v.info.nodeId, role: v.info.role as CertRole, clusterId: v.info.clusterId },
    publicKey,
  };
}

/**
 * A node's TLS credentials from its certificate and key PEMs (null when it lacks either, or
 * the key cannot be read: it then presents no certificate).
 */
export function credentialsOf(certPem: string, keyPem: string): Credentials | null {
  if (!certPem || !keyPem) return null;
  try {
    return { chain: certPem, key: signingKeyFromPem(keyPem) };
  } catch {
    return null;
  }
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

/**
 * Who may call `method`, from SwarmKit's tls_authorization table (ca/methods.ts): insecure, the
 * managers only, or any node of the swarm. The one source of each method's level.
 */
export function authLevelOf(method: string): AuthLevel {
  const a = methodAuthorization(method);
  if (a.insecure) return "insecure";
  return a.roles.includes(WORKER_ROLE) ? "any" : "managers";
}
