// The TLS side of the managers' RPC, with the CA's checks and Go's texts: the server's check of
// a client chain at the handshake (VerifyClientCertIfGiven), the client's check of a manager's
// chain (ServerName swarm-manager), and the per-call authorization of SwarmKit's ca/auth.go.
// The RPC server and client take these as their security hooks.
import { authorizeRoles, type PeerIdentity as CaPeerIdentity } from "../ca/auth";
import type { CertificateInfo } from "../ca/certificate";
import { MANAGER_ROLE } from "../ca/constants";
import { verifyChain } from "../ca/verify";
import { GrpcError } from "./grpc-error";
import type { CertRole, PeerIdentity } from "./identity";

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
