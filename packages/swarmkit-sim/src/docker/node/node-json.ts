// A node as the Docker Engine API shows it (`docker node inspect`): PascalCase fields in the
// order of moby's swarm.Node, times as Go's RFC 3339 with nanoseconds, roles and states in
// lower case.
import type { Node } from "../../api/types";
import { rfc3339Nano } from "../../cli/format/template";

export function nodeToApi(n: Node, epochMs: number): unknown {
  const time = (ms: number) => rfc3339Nano(epochMs + ms);
  const d = n.description;
  return {
    ID: n.id,
    Version: { Index: n.version },
    CreatedAt: time(n.createdAt),
    UpdatedAt: time(n.updatedAt),
    Spec: { Labels: { ...n.spec.labels }, Role: n.spec.desiredRole, Availability: n.spec.availability },
    Description: d
      ? {
          Hostname: d.hostname,
          Platform: { Architecture: d.platform.architecture, OS: d.platform.os },
          Resources: { NanoCPUs: d.resources.nanoCPUs, MemoryBytes: d.resources.memoryBytes },
          Engine: { EngineVersion: d.engine.engineVersion, Plugins: [] },
        }
      : {},
    Status: {
      State: n.status.state,
      ...(n.status.message ? { Message: n.status.message } : {}),
      Addr: n.status.addr,
    },
    ...(n.managerStatus
      ? {
          ManagerStatus: {
            ...(n.managerStatus.leader ? { Leader: true } : {}),
            Reachability: n.managerStatus.reachability,
            Addr: n.managerStatus.addr,
          },
        }
      : {}),
  };
}
