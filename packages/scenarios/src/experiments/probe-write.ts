// The write the experiments use to probe the control plane: a label on the node's own object,
// set through its manager's control API (Control.UpdateNode, what `docker node update
// --label-add` calls), which forwards to the leader when it is a follower.
import { CONTROL, type SwarmNode } from "@swarm-sim/swarmkit-sim";

/**
 * Sets `probe=<value>` on `via`'s own node object. Returns false (and never calls `done`) when
 * `via` has no manager or does not see its node yet.
 */
export function proposeProbe(via: SwarmNode, value: string, done: (err: Error | null) => void): boolean {
  const m = via.manager;
  if (!m?.store.get("node", via.nodeId)) return false;
  m.call(CONTROL.updateNode, { id: via.nodeId, patch: { labelsAdd: { probe: value } } }, (err) => done(err));
  return true;
}
