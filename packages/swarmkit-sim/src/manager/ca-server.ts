// The CA a manager serves (SwarmKit ca/server.go): the root certificate to anyone, node
// certificates to holders of a join token (new nodes) or of a valid certificate (renewals).
// Signing happens on the leader, where the node object is created in the same transaction.
// SwarmKit creates the node PENDING and signs in a loop; signing at once is faster and looks
// the same from outside (the joining node still polls NodeCertificateStatus). A key that
// cannot be signed leaves the certificate FAILED, as SwarmKit's signer does.
// Requests reach these functions checked (validate.ts).
import { type IssueRequest, type IssueResponse, newNodeObject, type StatusResponse } from "../api/ca";
import type { Cluster, NodeRole } from "../api/types";
import { signNodeCertificate } from "../ca/cluster-pki";
import { MANAGER_ROLE, nodeRoleOf, WORKER_ROLE } from "../ca/constants";
import { newId } from "../ca/identity";
import { matchJoinToken } from "../ca/jointoken";
import type { Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import { securityBugs } from "../transport/bugs";
import { GrpcError } from "../transport/grpc-error";
import { authorizePeer } from "../transport/tls";
import type { ServerCall } from "../transport/rpc-server";
import type { Proposer } from "./store/actions";
import type { MemoryStore } from "./store/memory-store";
import { WriteTx } from "./store/write-tx";

export interface CaServerDeps {
  machine: Machine;
  store: MemoryStore;
  proposer: Proposer;
  random: Random;
}

export function getRootCA(store: MemoryStore, call: ServerCall): void {
  const c = store.cluster();
  if (!c) {
    call.fail(new GrpcError("Unavailable", "CA signer is still starting"));
    return;
  }
  call.reply({ certificatePem: c.rootCA.caCertPem });
}

/** Leader only: the new node object, or the renewed certificate of an existing one. */
export function issueNodeCertificate(d: CaServerDeps, req: IssueRequest, call: ServerCall): void {
  const cluster = d.store.cluster();
  if (!cluster) {
    call.fail(new GrpcError("Aborted", "CA signer is still starting"));
    return;
  }
  const now = d.machine.sim.now();
  const tx = new WriteTx(d.store, now);
  let nodeId: string;
  const renewer = renewingNode(cluster, call);
  if (renewer) {
    // A renewal: the caller keeps its ID; the role is the node's current Role.
    nodeId = renewer;
    const node = d.store.get("node", nodeId);
    if (!node) {
      call.fail(new GrpcError("NotFound", `node ${nodeId} not found when attempting to renew certificate`));
      return;
    }
    // (The broken variant the fuzzer's certificate check must catch signs the old role.)
    const role =
      securityBugs(d.machine.sim).renewalKeepsPresentedRole && call.peer
        ? nodeRoleOf(call.peer.role)
        : node.role;
    const pem = sign(d, role, nodeId, req.publicKeyPem);
    tx.update("node", nodeId, (n) => {
      n.certificate = { role: n.role, cn: nodeId, state: pem ? "issued" : "failed", pem };
    });
  } else {
    const role = req.token ? matchJoinToken(req.token, cluster.rootCA.joinTokens) : null;
    if (!role) {
      call.fail(new GrpcError("InvalidArgument", "A valid join token is necessary to join this cluster"));
      return;
    }
    nodeId = newId(d.random);
    const pem = sign(d, role, nodeId, req.publicKeyPem);
    tx.create("node", newNodeObject(nodeId, role, req.availability ?? "active", pem));
  }
  d.proposer.propose(tx.actions, (err) => {
    if (err) call.fail(err instanceof GrpcError ? err : new GrpcError("Unknown", err.message));
    else call.reply({ nodeId } satisfies IssueResponse);
  });
}

export function nodeCertificateStatus(store: MemoryStore, req: { nodeId: string }, call: ServerCall): void {
  const n = store.get("node", req.nodeId);
  if (!n) {
    // SwarmKit: `status.Error(codes.NotFound, codes.NotFound.String())`.
    call.fail(new GrpcError("NotFound", "NotFound"));
    return;
  }
  call.reply({
    state: n.certificate.state,
    certificatePem: n.certificate.pem ?? "",
    role: n.certificate.role,
  } satisfies StatusResponse);
}

/**
 * The node a certificate holder renews as, or null: the caller is then a joining node and
 * needs a token (ca/server.go IssueNodeCertificate). SwarmKit takes the certificate through
 * AuthorizeForwardedRoleAndOrg, so a removed node's own certificate, presented directly, does
 * not count (it is then refused for want of a token); a call a follower forwarded, or a local
 * one, is not checked against the removed nodes, and its node is simply not found.
 */
function renewingNode(cluster: Cluster, call: ServerCall): string | null {
  if (!call.peer) return null;
  const removed = call.direct ? cluster.blacklistedCertificates : undefined;
  const denied = authorizePeer(call.peer, [WORKER_ROLE, MANAGER_ROLE], cluster.id, removed);
  return denied ? null : call.peer.nodeId;
}

/** The signed certificate, or undefined when the key cannot be signed (the CSR is bad). */
function sign(d: CaServerDeps, role: NodeRole, nodeId: string, publicKeyPem: string): string | undefined {
  const c = d.store.cluster()!;
  try {
    return signNodeCertificate(c, { nodeId, role, publicKeyPem, nowMs: d.machine.sim.now() }, d.random);
  } catch {
    return undefined;
  }
}
