// Whether a node's docker.service is active, as `systemctl` sees it: a component of the node
// that `sudo systemctl stop|start docker` sets (host-tools.ts) and the CLI host reads (a
// stopped daemon cannot be reached: contexts.ts).
import type { LabNode } from "../node";

export type DockerServiceState = "active" | "inactive";

const COMPONENT = "docker.service";

export function dockerServiceOf(node: LabNode): DockerServiceState {
  return (node.components.get(COMPONENT) as DockerServiceState | undefined) ?? "active";
}

export function setDockerService(node: LabNode, state: DockerServiceState): void {
  node.components.set(COMPONENT, state);
}
