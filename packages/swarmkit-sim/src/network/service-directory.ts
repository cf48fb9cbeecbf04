// What every node's networking knows about the swarm's services: in Docker, each node learns
// the services and task addresses of the overlays it joins through gossip (libnetwork's
// networkdb). The simulator models that gossip as already converged: a directory reads a
// manager's replica of the store (the leader's when there is one). While quorum is lost the
// replicas still hold the last state, as gossip would.
import { type Network, type Service, type Task, TaskState } from "../api/types";
import type { MemoryStore } from "../manager/store/memory-store";

export interface ServiceDirectory {
  services(): Iterable<Service>;
  tasks(serviceId: string): readonly Task[];
  network(id: string): Network | undefined;
  networks(): Iterable<Network>;
  /**
   * A number that changes whenever what the directory reads changes (another store, or a
   * new version of it), so that indexes over it can be kept between lookups. Without it,
   * they are rebuilt for every lookup.
   */
  generation?(): number;
}

const storeIds = new WeakMap<MemoryStore, number>();
let nextStoreId = 1;

/** A directory over whichever store `pick` returns now (none: an empty swarm). */
export function storeDirectory(pick: () => MemoryStore | undefined): ServiceDirectory {
  return {
    services: () => pick()?.values("service") ?? [],
    tasks: (id) => pick()?.tasksByService(id) ?? [],
    network: (id) => pick()?.get("network", id),
    networks: () => pick()?.values("network") ?? [],
    generation: () => {
      const s = pick();
      if (!s) return 0;
      let id = storeIds.get(s);
      if (id === undefined) storeIds.set(s, (id = nextStoreId++));
      // Store versions stay far below 2^32 in any simulated run.
      return id * 2 ** 32 + s.version;
    },
  };
}

/** A task's address on a network (without the prefix length), if it has one. */
export function addressOn(t: Task, networkId: string): string | undefined {
  const a = t.networks.find((n) => n.networkId === networkId)?.addresses[0];
  return a?.split("/")[0];
}

/** Tasks that serve traffic: observed RUNNING and still wanted. */
export function servingTasks(d: ServiceDirectory, serviceId: string): Task[] {
  return d
    .tasks(serviceId)
    .filter((t) => t.status.state === TaskState.RUNNING && t.desiredState <= TaskState.RUNNING);
}
