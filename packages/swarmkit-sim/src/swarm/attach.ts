// attachSwarmNode: gives a machine with a Docker engine its swarm component, with managers
// running the raft glue.
import type { Machine } from "../kernel/machine";
import type { Sim } from "../kernel/sim";
import { raftConsensusFactory } from "../manager/raft-factory";
import { SwarmNode, type SwarmNodeOptions } from "../node/swarm-node";

export type AttachOptions = Partial<SwarmNodeOptions>;

const nodes = new WeakMap<Machine, SwarmNode>();

export function attachSwarmNode(sim: Sim, machine: Machine, opts: AttachOptions = {}): SwarmNode {
  const existing = nodes.get(machine);
  if (existing) return existing;
  const node = new SwarmNode(sim, machine, { consensusFactory: raftConsensusFactory, ...opts });
  nodes.set(machine, node);
  return node;
}

export function swarmNodeOf(machine: Machine): SwarmNode | undefined {
  return nodes.get(machine);
}
