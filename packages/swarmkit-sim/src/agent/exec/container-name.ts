// Names and labels Docker gives a task's container (daemon/cluster/executor/container):
// `<service>.<slot>.<taskID>` (global tasks: `<service>.<nodeID>.<taskID>`).
import type { Task } from "../../api/types";
import type { Engine } from "../../engine/engine";

const NODE_ID_LABEL = "com.docker.swarm.node.id";

export function taskContainerName(t: Task): string {
  return `${t.serviceName}.${t.slot > 0 ? t.slot : t.nodeId}.${t.id}`;
}

export function taskLabels(t: Task): Record<string, string> {
  return {
    ...(t.spec.container.labels ?? {}),
    [NODE_ID_LABEL]: t.nodeId,
    "com.docker.swarm.service.id": t.serviceId,
    "com.docker.swarm.service.name": t.serviceName,
    "com.docker.swarm.task": "",
    "com.docker.swarm.task.id": t.id,
    "com.docker.swarm.task.name": `${t.serviceName}.${t.slot > 0 ? t.slot : t.nodeId}`,
  };
}

/**
 * What dockerd does once a node has left its swarm: force-remove every container labelled with
 * the node's ID, running or not (daemon/cluster's Leave, listContainerForNode).
 */
export function removeNodeTaskContainers(engine: Engine, nodeId: string): void {
  for (const c of engine.containers({ all: true }))
    if (c.config.labels[NODE_ID_LABEL] === nodeId) engine.remove(c.id, { force: true });
}
