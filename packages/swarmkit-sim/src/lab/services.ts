// Swarm services in the lab (opt-in with `new Lab({ services: true })`): the services
// engineer's leader components and engine executor on every node's swarm component, and the
// swarm resolver and routing mesh on every engine. (`docker service|stack` are registered by
// the CLI host when the world has services.)
import type { Engine } from "../engine/engine";
import type { Machine } from "../kernel/machine";
import type { Manager } from "../manager/manager";
import {
  type ServiceDirectory,
  attachServiceNetworking,
  managersDirectory,
  servicesAttachOptions,
} from "../network/wiring";
import type { AttachOptions } from "../swarm/attach";
import type { LabNode } from "./node";

/** The name of a node's routing mesh among its components. */
export const MESH_COMPONENT = "mesh";

export interface LabServices {
  /** What every node's attachSwarmNode gets. */
  attachOptions: Omit<AttachOptions, "engineVersion">;
  /** Called for each node once its engine exists. */
  onNode(node: LabNode): void;
}

export function labServices(
  managers: () => Iterable<Manager>,
  engineOf: (m: Machine) => Engine | undefined,
): LabServices {
  // What every node's networking knows of the services: the managers' replicas of the store.
  const directory: ServiceDirectory = managersDirectory(managers);
  return {
    attachOptions: servicesAttachOptions(directory, engineOf),
    onNode(node) {
      const engine = engineOf(node.machine);
      // The mesh is a component of the node: a live lab opens node1's mesh ports on the real host.
      if (engine) node.components.set(MESH_COMPONENT, attachServiceNetworking(engine, directory).mesh);
    },
  };
}
