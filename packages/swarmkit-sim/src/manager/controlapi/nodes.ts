// The control API's node methods (SwarmKit manager/controlapi/node.go), served by the leader:
// list (with manager status from the leader's raft view), inspect, update (availability,
// labels, promote/demote with SwarmKit's checks) and remove (with its checks, blacklisting
// the certificate and orphaning the node's tasks).
import type { Node, NodeAvailability, NodeRole } from "../../api/types";
import { TaskState } from "../../api/types";
import { formatRaftId } from "../../ca/identity";
import { certificateInfo } from "../../ca/certificate";
import { GrpcError } from "../../transport/grpc-error";
import type { Consensus } from "../consensus";
import type { Proposer } from "../store/actions";
import type { MemoryStore } from "../store/memory-store";
import { WriteTx } from "../store/write-tx";

export interface ControlDeps {
  store: MemoryStore;
  proposer: Proposer;
  consensus: Consensus;
  now(): number;
  epochMs: number;
}

export interface NodeSpecPatch {
  availability?: NodeAvailability;
  desiredRole?: NodeRole;
  labelsAdd?: Record<string, string>;
  labelsRm?: string[];
}

/** Nodes as the leader sees them, with ManagerStatus computed from its raft membership. */
export function listNodes(d: ControlDeps): Node[] {
  const byNode = new Map(d.consensus.members().map((m) => [m.nodeId, m]));
  const leader = d.consensus.leaderId();
  const self = d.consensus.raftId;
  return d.store.nodes().map((n) => {
    const m = byNode.get(n.id);
    if (!m) return n;
    const reachable = m.raftId === self || d.consensus.isActive(m.raftId);
    return {
      ...n,
      managerStatus: {
        raftId: formatRaftId(m.raftId),
        addr: m.addr,
        leader: m.raftId === leader,
        reachability: reachable ? "reachable" : "unreachable",
      },
    };
  });
}

/** dockerd's node lookup: full ID, then exact hostname, then ID prefix (helpers.go getNode). */
export function resolveNode(nodes: readonly Node[], ref: string): Node {
  const byId = nodes.find((n) => n.id === ref);
  if (byId) return byId;
  const byName = nodes.filter((n) => (n.spec.name ?? n.description?.hostname) === ref);
  if (byName.length === 1) return byName[0];
  if (byName.length > 1)
    throw new GrpcError("InvalidArgument", `node ${ref} is ambiguous (${byName.length} matches found)`);
  const byPrefix = ref === "" ? [] : nodes.filter((n) => n.id.startsWith(ref));
  if (byPrefix.length === 1) return byPrefix[0];
  if (byPrefix.length > 1)
    throw new GrpcError("InvalidArgument", `node ${ref} is ambiguous (${byPrefix.length} matches found)`);
  throw new GrpcError("NotFound", `node ${ref} not found`);
}

export function updateNode(
  d: ControlDeps,
  req: { id: string; patch: NodeSpecPatch },
  done: (err: Error | null) => void,
): void {
  const node = d.store.get("node", req.id);
  if (!node) {
    done(new GrpcError("NotFound", `node ${req.id} not found`));
    return;
  }
  const p = req.patch;
  if (node.spec.desiredRole === "manager" && p.desiredRole === "worker") {
    const managers = d.store.nodes().filter((n) => n.spec.desiredRole === "manager").length;
    if (managers <= 1) {
      done(new GrpcError("FailedPrecondition", "attempting to demote the last manager of the swarm"));
      return;
    }
    const member = d.consensus.members().find((m) => m.nodeId === node.id);
    if (!member) {
      done(new GrpcError("NotFound", "can't find manager in raft memberlist"));
      return;
    }
    if (!d.consensus.canRemoveMember(member.raftId)) {
      done(
        new GrpcError(
          "FailedPrecondition",
          "can't remove member from the raft: this would result in a loss of quorum",
        ),
      );
      return;
    }
  }
  const tx = new WriteTx(d.store, d.now());
  tx.update("node", node.id, (n) => {
    if (p.availability) n.spec.availability = p.availability;
    if (p.desiredRole) n.spec.desiredRole = p.desiredRole;
    if (p.labelsAdd) Object.assign(n.spec.labels, p.labelsAdd);
    for (const k of p.labelsRm ?? []) delete n.spec.labels[k];
  });
  d.proposer.propose(tx.actions, done);
}

export function removeNode(
  d: ControlDeps,
  req: { id: string; force: boolean },
  done: (err: Error | null) => void,
): void {
  const node = d.store.get("node", req.id);
  if (!node) {
    done(new GrpcError("NotFound", `node ${req.id} not found`));
    return;
  }
  if (node.spec.desiredRole === "manager" && d.consensus.members().some((m) => m.nodeId === node.id)) {
    done(
      new GrpcError(
        "FailedPrecondition",
        `node ${node.id} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal`,
      ),
    );
    return;
  }
  if (!req.force && node.status.state === "ready") {
    done(new GrpcError("FailedPrecondition", `node ${node.id} is not down and can't be removed`));
    return;
  }
  const tx = new WriteTx(d.store, d.now());
  const cluster = d.store.cluster();
  if (cluster) {
    let expiry = d.now();
    try {
      if (node.certificate.pem) expiry = certificateInfo(node.certificate.pem, d.epochMs).notAfter;
    } catch {
      // An unreadable certificate is blacklisted from now.
    }
    tx.update("cluster", cluster.id, (c) => {
      c.blacklistedCertificates[node.id] = expiry;
    });
  }
  for (const t of d.store.tasksByNode(node.id)) {
    if (t.status.state > TaskState.RUNNING) continue;
    tx.update("task", t.id, (x) => {
      x.status = {
        ...x.status,
        state: TaskState.ORPHANED,
        message: "Task belonged to a node that has been deleted",
        timestamp: d.now(),
      };
    });
  }
  tx.delete("node", node.id);
  d.proposer.propose(tx.actions, done);
}
