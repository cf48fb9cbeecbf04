// Wiring the services half into a swarm: the leader components for every manager, the
// engine executor for every node's agent, and the swarm resolver, the VIP load balancer and
// the routing mesh on every engine. `servicesAttachOptions(directory)` goes to attachSwarmNode
// / buildSwarm; `attachServiceNetworking(engine, directory)` to each engine.
import type { Engine } from "../engine/engine";
import { EngineExecutor } from "../agent/exec/engine-executor";
import { removeNodeTaskContainers } from "../agent/exec/container-name";
import type { TaskExecutor } from "../agent/executor";
import type { Machine } from "../kernel/machine";
import type { Sim } from "../kernel/sim";
import type { LeaderComponent } from "../manager/component";
import { serviceComponents } from "../manager/orchestrator";
import type { MemoryStore } from "../manager/store/memory-store";
import { RoutingMesh } from "./routing-mesh";
import { type ServiceDirectory, storeDirectory } from "./service-directory";
import { swarmResolver } from "./swarm-resolver";
import { attachVipRouter } from "./vip-router";

export interface ServicesAttachOptions {
  leaderComponents: () => LeaderComponent[];
  executorFactory: (ctx: { sim: Sim; machine: Machine }) => TaskExecutor;
  onLeft: (ctx: { machine: Machine; nodeId: string }) => void;
}

/** Options for attachSwarmNode: the services components, and an executor on `engineOf(machine)`. */
export function servicesAttachOptions(
  directory: ServiceDirectory,
  engineOf: (m: Machine) => Engine | undefined,
): ServicesAttachOptions {
  return {
    leaderComponents: serviceComponents,
    executorFactory: ({ machine }) => {
      const engine = engineOf(machine);
      if (!engine) throw new Error(`no Docker engine on ${machine.name}`);
      return new EngineExecutor(engine, directory);
    },
    onLeft: ({ machine, nodeId }) => {
      const engine = engineOf(machine);
      if (engine) removeNodeTaskContainers(engine, nodeId);
    },
  };
}

/** Installs the swarm's DNS records, the VIP load balancer and the routing mesh on an engine. */
export function attachServiceNetworking(
  engine: Engine,
  directory: ServiceDirectory,
): { mesh: RoutingMesh; detach(): void } {
  const remove = engine.addResolver(swarmResolver(directory));
  const removeVips = attachVipRouter(engine, directory);
  const mesh = new RoutingMesh(engine, directory);
  return {
    mesh,
    detach: () => {
      remove();
      removeVips();
      mesh.stop();
    },
  };
}

/**
 * A directory over the managers' replicas: the leader's store when some manager leads, else
 * any manager's (the last state every node learnt).
 */
export function managersDirectory(
  managers: () => Iterable<{ store: MemoryStore; isLeader(): boolean }>,
): ServiceDirectory {
  return storeDirectory(() => {
    let any: MemoryStore | undefined;
    for (const m of managers()) {
      if (m.isLeader()) return m.store;
      any ??= m.store;
    }
    return any;
  });
}

export { storeDirectory, type ServiceDirectory } from "./service-directory";
export { swarmResolver } from "./swarm-resolver";
export { RoutingMesh } from "./routing-mesh";
export { vipRouter, attachVipRouter } from "./vip-router";
export { ServiceIndex, serviceIndex } from "./service-index";
