// What `docker service ls`, `docker service ps` and `docker stack services|ps` print
// (cli/command/service/formatter.go, cli/command/task/print.go; SWARMKIT.md §6.6).
import {
  type Node,
  type PortConfig,
  type Service,
  type Task,
  TaskState,
  taskStateName,
} from "../../api/types";
import { taskStateAgo } from "../../cli/format/duration";
import { naturalCompare } from "../../cli/format/natural-sort";
import { tabwriter } from "../../cli/format/tabwriter";
import { ellipsis, prettyPrint, truncateId } from "../../cli/format/text";
import type { MemoryStore } from "../../manager/store/memory-store";

/** The image without its digest ("nginx:latest@sha256:..." -> "nginx:latest"). */
export function imageOf(image: string): string {
  const at = image.indexOf("@");
  return at >= 0 ? image.slice(0, at) : image;
}

export function modeOf(s: Service): string {
  return s.spec.mode.kind;
}

/** RUNNING/DESIRED as dockerd computes ServiceStatus: running tasks on nodes that are not down. */
export function replicasOf(store: MemoryStore, s: Service): { running: number; desired: number } {
  const down = (t: Task) => store.get("node", t.nodeId)?.status.state === "down";
  const tasks = store.tasksByService(s.id);
  const running = tasks.filter((t) => t.status.state === TaskState.RUNNING && !down(t)).length;
  const desired =
    s.spec.mode.kind === "replicated"
      ? s.spec.mode.replicas
      : tasks.filter((t) => t.desiredState === TaskState.RUNNING && !down(t)).length;
  return { running, desired };
}

/** "*:8080->80/tcp", with consecutive ports merged into ranges ("*:8000-8001->80-81/tcp"). */
export function portsText(ports: readonly PortConfig[]): string {
  const ingress = ports.filter((p) => p.publishMode === "ingress" && p.publishedPort);
  const sorted = [...ingress].sort(
    (a, b) =>
      (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0) || a.publishedPort! - b.publishedPort!,
  );
  const out: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (
      j + 1 < sorted.length &&
      sorted[j + 1].protocol === sorted[i].protocol &&
      sorted[j + 1].publishedPort === sorted[j].publishedPort! + 1 &&
      sorted[j + 1].targetPort === sorted[j].targetPort + 1
    )
      j++;
    const a = sorted[i];
    const b = sorted[j];
    out.push(
      i === j
        ? `*:${a.publishedPort}->${a.targetPort}/${a.protocol}`
        : `*:${a.publishedPort}-${b.publishedPort}->${a.targetPort}-${b.targetPort}/${a.protocol}`,
    );
    i = j + 1;
  }
  return out.join(", ");
}

export function serviceLsTable(store: MemoryStore, services: readonly Service[]): string {
  const rows = [["ID", "NAME", "MODE", "REPLICAS", "IMAGE", "PORTS"]];
  for (const s of [...services].sort((a, b) => naturalCompare(a.spec.name, b.spec.name))) {
    const r = replicasOf(store, s);
    const max = s.spec.task.placement.maxReplicas;
    rows.push([
      truncateId(s.id),
      s.spec.name,
      modeOf(s),
      `${r.running}/${r.desired}${max > 0 ? ` (max ${max} per node)` : ""}`,
      imageOf(s.spec.task.container.image),
      portsText(s.endpoint?.ports ?? s.spec.endpoint.ports),
    ]);
  }
  return tabwriter(rows);
}

/** The name column's key: `<service>.<slot>` or `<service>.<nodeID>`. */
export function taskName(t: Task): string {
  return t.slot > 0 ? `${t.serviceName}.${t.slot}` : `${t.serviceName}.${t.nodeId}`;
}

export interface PsOptions {
  noTrunc?: boolean;
  now: number;
  node(id: string): Node | undefined;
}

function hostPorts(t: Task): string {
  return (t.status.ports ?? [])
    .filter((p) => p.publishMode === "host")
    .map((p) => `*:${p.publishedPort}->${p.targetPort}/${p.protocol}`)
    .join(", ");
}

/** Tasks in print order: by name (natural), newest first within a name. */
export function sortTasks(tasks: readonly Task[]): Task[] {
  return [...tasks].sort(
    (a, b) => naturalCompare(taskName(a), taskName(b)) || b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1),
  );
}

export function taskPsTable(tasks: readonly Task[], o: PsOptions): string {
  const rows = [["ID", "NAME", "IMAGE", "NODE", "DESIRED STATE", "CURRENT STATE", "ERROR", "PORTS"]];
  let prev = "";
  for (const t of sortTasks(tasks)) {
    const name = taskName(t);
    const shown = name === prev ? ` \\_ ${name}` : name;
    prev = name;
    const err = t.status.err ?? "";
    rows.push([
      o.noTrunc ? t.id : truncateId(t.id),
      shown,
      imageOf(t.spec.container.image),
      o.node(t.nodeId)?.description?.hostname ?? "",
      prettyPrint(taskStateName(t.desiredState)),
      taskStateAgo(taskStateName(t.status.state), o.now - t.status.timestamp),
      err ? `"${o.noTrunc ? err : ellipsis(err, 30)}"` : "",
      hostPorts(t),
    ]);
  }
  return tabwriter(rows);
}
