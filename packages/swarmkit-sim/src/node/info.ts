// The swarm part of `docker info` as dockerd assembles it (moby daemon/cluster/swarm.go Info):
// the local state, and on an active manager the cluster settings and node counts, fetched
// through the control API (so a manager without quorum reports the error instead).
import type { Cluster, Node } from "../api/types";
import { hostOf } from "../api/address";
import { CONTROL } from "../api/methods";
import type { LocalNodeState, SwarmNode } from "./swarm-node";

export interface SwarmInfo {
  localNodeState: LocalNodeState;
  nodeId: string;
  /** The advertise IP (no port). */
  nodeAddr: string;
  controlAvailable: boolean;
  error: string;
  remoteManagers: string[];
  /** The same managers with their node IDs (swarm.Peer); a worker knows only addresses. */
  remotePeers: { nodeId: string; addr: string }[];
  cluster?: Cluster;
  managers: number;
  nodes: number;
}

export function swarmInfo(node: SwarmNode, done: (info: SwarmInfo) => void): void {
  const peers = remotePeers(node);
  const base: SwarmInfo = {
    localNodeState: node.state,
    nodeId: node.nodeId,
    nodeAddr: hostOf(node.advertiseAddr),
    controlAvailable: false,
    error: "",
    remoteManagers: peers.map((p) => p.addr),
    remotePeers: peers,
    managers: 0,
    nodes: 0,
  };
  if (base.localNodeState !== "active" || !node.manager || node.manager.isStopped) {
    done(base);
    return;
  }
  base.controlAvailable = true;
  node.control<{ cluster: Cluster }>(CONTROL.getCluster, {}, (err, res) => {
    if (err) {
      base.error = err.message;
      return done(base);
    }
    base.cluster = res?.cluster;
    node.control<{ nodes: Node[] }>(CONTROL.listNodes, {}, (err2, res2) => {
      if (err2) base.error = err2.message;
      else {
        base.nodes = res2!.nodes.length;
        base.managers = res2!.nodes.filter((n) => n.managerStatus).length;
      }
      done(base);
    });
  });
}

function remotePeers(node: SwarmNode): { nodeId: string; addr: string }[] {
  if (node.manager) return node.manager.consensus.members().map((m) => ({ nodeId: m.nodeId, addr: m.addr }));
  return node.remoteManagers().map((addr) => ({ nodeId: "", addr }));
}
