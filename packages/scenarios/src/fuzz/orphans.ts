// Quorum lost for good to orphan raft members, and the operator's way out.
//
// A demoted manager applies its own removal, stops its manager and clears its raft data; if it
// still holds its manager certificate when it starts again (it crashed before the worker
// certificate came), it joins raft again under a new raft ID (SwarmKit node.go
// superviseManager: "It may cause the node to wrongly join under a new Raft ID"), and stops
// once its worker certificate comes. Nothing removes that member: SwarmKit's role manager
// removes the members of nodes whose Role is manager and DesiredRole worker, and this node's
// Role is worker already. When such orphans hold half the voters or more, the swarm has lost
// quorum for good, in SwarmKit too; Docker's answer is `docker swarm init --force-new-cluster`
// on a manager that is left, which the liveness phase then runs (and still demands liveness).
import type { SwarmNode } from "@swarm-sim/swarmkit-sim";

/**
 * The manager to run `--force-new-cluster` on when the raft configuration that the running
 * managers hold counts orphans (members of nodes that are workers in the store, desired and
 * actual, and that run no manager, or that the store no longer holds) and the members running
 * can never make a majority; undefined otherwise.
 */
export function quorumLostToOrphans(nodes: readonly SwarmNode[]): SwarmNode | undefined {
  const up = nodes.filter((n) => n.machine.isUp() && n.manager && !n.manager.isStopped);
  if (up.length === 0) return undefined;
  const store = up[0].manager!.store;
  // Managers still in the swarm (a removed one runs raft, but nobody listens to it).
  const running = up.filter((n) => store.get("node", n.nodeId));
  const survivor = running[0];
  if (!survivor) return undefined;
  const members = survivor.manager!.consensus.members();
  const runningIds = new Set(running.map((n) => n.manager!.consensus.raftId));
  let orphans = 0;
  let live = 0;
  for (const m of members) {
    if (runningIds.has(m.raftId)) {
      live++;
      continue;
    }
    const node = store.get("node", m.nodeId);
    const owner = nodes.find((n) => n.nodeId === m.nodeId);
    const runsNoManager = !owner?.manager || owner.manager.isStopped;
    // A member whose node was removed from the swarm (`node rm --force` after its demotion)
    // counts too, running or not: every manager refuses it ("node ... was removed from swarm").
    if (!node || (node.role === "worker" && node.spec.desiredRole === "worker" && runsNoManager)) orphans++;
  }
  if (orphans === 0 || live > members.length / 2) return undefined;
  return survivor;
}
