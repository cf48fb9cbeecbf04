// The values `docker service ls`, `docker service ps` and `docker stack services|ps` print
// (cli/command/service/formatter.go, cli/command/task/print.go; SWARMKIT.md §6.6); the rows
// and formats themselves are in list-format.ts.
import { type PortConfig, type Service, type Task, TaskState } from "../../api/types";
import { naturalCompare } from "../../cli/format/natural-sort";
import type { MemoryStore } from "../../manager/store/memory-store";

/** The image without its digest ("nginx:latest@sha256:..." -> "nginx:latest"). */
export function imageOf(image: string): string {
  const at = image.indexOf("@");
  return at >= 0 ? image.slice(0, at) : image;
}

/** The MODE column: `replicated`, `global`, `replicated job`, `global job`. */
export function modeOf(s: Service): string {
  return s.spec.mode.kind.replace("-", " ");
}

/** The REPLICAS column as the CLI prints it from the service's status. */
export function replicasText(store: MemoryStore, s: Service): string {
  const mode = s.spec.mode;
  if (mode.kind === "replicated-job" || mode.kind === "global-job") {
    const j = jobStatusOf(store, s);
    // A global job's total is what is still to complete plus what has completed.
    const total = mode.kind === "replicated-job" ? mode.totalCompletions : j.desired + j.completed;
    return `${j.running}/${j.desired} (${j.completed}/${total} completed)`;
  }
  const r = replicasOf(store, s);
  const max = mode.kind === "replicated" ? s.spec.task.placement.maxReplicas : 0;
  return `${r.running}/${r.desired}${max > 0 ? ` (max ${max} per node)` : ""}`;
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

/**
 * A job's status as SwarmKit's ListServiceStatuses counts it over the tasks of the current
 * iteration: running tasks, desired ones (a replicated job's MaxConcurrent; a global job's
 * tasks still to complete), completed ones.
 */
export function jobStatusOf(
  store: MemoryStore,
  s: Service,
): { running: number; desired: number; completed: number } {
  const iteration = s.jobStatus?.jobIteration ?? 0;
  let running = 0;
  let completed = 0;
  let desired = s.spec.mode.kind === "replicated-job" ? s.spec.mode.maxConcurrent : 0;
  for (const t of store.tasksByService(s.id)) {
    if (t.jobIteration !== iteration) continue;
    if (t.status.state === TaskState.COMPLETE) completed++;
    if (t.status.state === TaskState.RUNNING) running++;
    if (
      s.spec.mode.kind === "global-job" &&
      t.desiredState === TaskState.COMPLETE &&
      t.status.state !== TaskState.COMPLETE
    )
      desired++;
  }
  return { running, desired, completed };
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

/** The name column's key: `<service>.<slot>` or `<service>.<nodeID>`. */
export function taskName(t: Task): string {
  return t.slot > 0 ? `${t.serviceName}.${t.slot}` : `${t.serviceName}.${t.nodeId}`;
}

/** Tasks in print order: by name (natural), newest first within a name. */
export function sortTasks(tasks: readonly Task[]): Task[] {
  return [...tasks].sort(
    (a, b) => naturalCompare(taskName(a), taskName(b)) || b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1),
  );
}
