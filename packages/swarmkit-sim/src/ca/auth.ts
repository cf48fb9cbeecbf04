// The manager's mutual-TLS checks, in two steps as in SwarmKit:
//   1. tlsHandshake: the TLS server uses VerifyClientCertIfGiven, so a client may present no
//      certificate (it can still reach the insecure CA methods), but a certificate it presents
//      must verify against the trust root at the local time, or the connection fails.
//   2. authorizeRoles: each method's wrapper checks the verified certificate's OU against the
//      method's roles, then the blacklist, then the organization (SK ca/auth.go
//      AuthorizeForwardedRoleAndOrg, manager/manager.go authorize), with SwarmKit's texts.
// authenticateRequest runs both for a named method.
import type { CertificateInfo } from "./certificate";
import { type CertRole, MANAGER_ROLE } from "./constants";
import { methodAuthorization } from "./methods";
import { verifyChain } from "./verify";

export type GrpcCode = "PermissionDenied" | "Unavailable";

export interface AuthError {
  code: GrpcCode;
  /** The gRPC status message, exactly as SwarmKit builds it. */
  message: string;
}

/** How a Go client prints a gRPC status error: `rpc error: code = X desc = ...`. */
export function grpcErrorText(e: AuthError): string {
  return `rpc error: code = ${e.code} desc = ${e.message}`;
}

/** Who is calling, from the verified leaf certificate's subject. */
export interface PeerIdentity {
  nodeId: string;
  /** All subject OUs. */
  roles: readonly string[];
  /** First subject O ("" when absent). */
  organization: string;
  certificate: CertificateInfo;
}

/** The caller identity a forwarding manager adds to the request metadata. */
export interface ForwardedIdentity {
  nodeId: string;
  organization: string;
  roles: readonly string[];
}

/** Removed node IDs (Cluster.BlacklistedCertificates), as a set, map or plain record. */
export type Blacklist =
  | ReadonlySet<string>
  | ReadonlyMap<string, unknown>
  | Readonly<Record<string, unknown>>;

export interface HandshakeInput {
  /** The client's certificate chain (leaf first), or none. */
  chainPem?: string | null;
  /** The trust root bundle(s) of this manager. */
  trustRoots: string | readonly string[];
  /** The server's local time, simulated ms (clock skew included). */
  now: number;
  epochMs?: number;
}

export type HandshakeResult =
  | { ok: true; peer: PeerIdentity | null }
  | { ok: false; error: AuthError /** The x509 reason the verifying side reports. */; x509: string };

export function tlsHandshake(input: HandshakeInput): HandshakeResult {
  if (!input.chainPem) return { ok: true, peer: null };
  const v = verifyChain(input.chainPem, input.trustRoots, input.now, { epochMs: input.epochMs });
  if (!v.ok) {
    return {
      ok: false,
      x509: v.error,
      error: {
        code: "Unavailable",
        message: `connection error: desc = "transport: authentication handshake failed: ${v.error}"`,
      },
    };
  }
  const subject = v.leaf.subject;
  return {
    ok: true,
    peer: {
      nodeId: subject.commonName,
      roles: subject.organizationalUnits,
      organization: subject.organizations[0] ?? "",
      certificate: v.info,
    },
  };
}

export interface AuthorizeInput {
  /** The verified peer (null when the client presented no certificate). */
  peer: PeerIdentity | null;
  /** Roles the method allows. */
  roles: readonly CertRole[];
  /** This cluster's ID: the O a certificate must carry. */
  clusterId: string;
  blacklist?: Blacklist | null;
  /** Set when a manager forwarded the request on behalf of another node. */
  forwarded?: ForwardedIdentity | null;
}

export type AuthorizeResult =
  | { ok: true; nodeId: string; forwardedBy?: string }
  | {
      ok: false;
      error: AuthError;
      /** The innermost SwarmKit reason, e.g. `Permission denied: node <id> was removed from swarm`. */
      reason: string;
    };

const denied = (message: string, reason = message): AuthorizeResult => ({
  ok: false,
  error: { code: "PermissionDenied", message },
  reason,
});

/** Go's %v of a []string. */
const goList = (xs: readonly string[]) => `[${xs.join(" ")}]`;

/** AuthorizeOrgAndRole: OU, then blacklist, then organization. Returns the reason or the node ID. */
function authorizeOrgAndRole(
  peer: PeerIdentity | null,
  roles: readonly string[],
  clusterId: string,
  blacklist: Blacklist | null | undefined,
): { nodeId: string } | { reason: string } {
  if (!peer) return { reason: "no client certificates in request" };
  if (!peer.roles.some((r) => roles.includes(r))) {
    return { reason: `Permission denied: remote certificate not part of OUs: ${goList(roles)}` };
  }
  if (isBlacklisted(blacklist, peer.nodeId)) {
    return { reason: `Permission denied: node ${peer.nodeId} was removed from swarm` };
  }
  if (peer.organization !== clusterId) {
    return { reason: `Permission denied: remote certificate not part of organization: ${clusterId}` };
  }
  return { nodeId: peer.nodeId };
}

const wrapped = (reason: string) => grpcErrorText({ code: "PermissionDenied", message: reason });

/** The per-method role check (AuthorizeForwardedRoleAndOrg with managers as the forwarders). */
export function authorizeRoles(input: AuthorizeInput): AuthorizeResult {
  const { peer, roles, clusterId, blacklist, forwarded } = input;
  if (forwarded) {
    const forwarder = authorizeOrgAndRole(peer, [MANAGER_ROLE], clusterId, blacklist);
    if ("reason" in forwarder) {
      return denied(
        `Permission denied: unauthorized forwarder role: ${wrapped(forwarder.reason)}`,
        forwarder.reason,
      );
    }
    if (forwarded.roles.length === 0 || !forwarded.nodeId || !forwarded.organization) {
      return denied("Permission denied: missing information in forwarded request");
    }
    if (!forwarded.roles.some((r) => roles.includes(r as CertRole))) {
      return denied(`Permission denied: unauthorized forwarded role, expecting: ${goList(roles)}`);
    }
    if (forwarded.organization !== clusterId) {
      return denied(`Permission denied: organization mismatch, expecting: ${clusterId}`);
    }
    return { ok: true, nodeId: forwarded.nodeId, forwardedBy: forwarder.nodeId };
  }
  const direct = authorizeOrgAndRole(peer, roles, clusterId, blacklist);
  if ("reason" in direct) {
    return denied(`Permission denied: unauthorized peer role: ${wrapped(direct.reason)}`, direct.reason);
  }
  return { ok: true, nodeId: direct.nodeId };
}

export function isBlacklisted(blacklist: Blacklist | null | undefined, nodeId: string): boolean {
  if (!blacklist) return false;
  if (blacklist instanceof Set || blacklist instanceof Map) return blacklist.has(nodeId);
  return Object.hasOwn(blacklist, nodeId);
}

export interface RequestInput extends HandshakeInput {
  /** "Service.Method", e.g. "Control.ListNodes" (see METHOD_AUTHORIZATION). */
  method: string;
  clusterId: string;
  blacklist?: Blacklist | null;
  forwarded?: ForwardedIdentity | null;
}

export type RequestResult =
  | {
      ok: true;
      peer: PeerIdentity | null /** null for an insecure method called without a certificate. */;
      nodeId: string | null;
    }
  | { ok: false; error: AuthError; reason: string };

/** Handshake, then the method's role check. */
export function authenticateRequest(input: RequestInput): RequestResult {
  const auth = methodAuthorization(input.method);
  const hs = tlsHandshake(input);
  if (!hs.ok) return { ok: false, error: hs.error, reason: hs.x509 };
  if (auth.insecure) return { ok: true, peer: hs.peer, nodeId: hs.peer?.nodeId ?? null };
  const r = authorizeRoles({
    peer: hs.peer,
    roles: auth.roles,
    clusterId: input.clusterId,
    blacklist: input.blacklist,
    forwarded: input.forwarded,
  });
  if (!r.ok) return r;
  return { ok: true, peer: hs.peer, nodeId: r.nodeId };
}
