// Names and labels Docker gives a task's container (daemon/cluster/executor/container):
// `<service>.<slot>.<taskID>` (global tasks: `<service>.<nodeID>.<taskID>`).
import type { Task } from "../../api/types";

export function taskContainerName(t: Task): string {
  return `${t.serviceName}.${t.slot > 0 ? t.slot : t.nodeId}.${t.id}`;
}

export function taskLabels(t: Task): Record<string, string> {
  return {
    ...(t.spec.container.labels ?? {}),
    "com.docker.swarm.node.id": t.nodeId,
    "com.docker.swarm.service.id": t.serviceId,
    "com.docker.swarm.service.name": t.serviceName,
    "com.docker.swarm.task": "",
    "com.docker.swarm.task.id": t.id,
    "com.docker.swarm.task.name": `${t.serviceName}.${t.slot > 0 ? t.slot : t.nodeId}`,
  };
}
