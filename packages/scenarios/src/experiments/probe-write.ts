// The write the experiments use to probe the control plane: a label on the node's own object,
// proposed through its manager (which forwards to the leader when it is a follower).
import { type SwarmNode, WriteTx } from "@swarm-sim/swarmkit-sim";

/**
 * Proposes `probe=<value>` on `via`'s own node object. Returns false (and never calls `done`)
 * when `via` has no manager or does not see its node yet.
 */
export function proposeProbe(via: SwarmNode, value: string, done: (err: Error | null) => void): boolean {
  const m = via.manager;
  if (!m?.store.get("node", via.nodeId)) return false;
  const tx = new WriteTx(m.store, via.machine.sim.now());
  tx.update("node", via.nodeId, (node) => {
    node.spec.labels = { ...node.spec.labels, probe: value };
  });
  m.proposer.propose(tx.actions, done);
  return true;
}
