// `docker service ls -f` and `docker service ps -f` (and the stack commands that share them):
// the keys dockerd accepts (moby daemon/cluster/filters.go, services.go) and what SwarmKit's
// ListServices and ListTasks match them against (controlapi service.go, task.go).
import type { Service, Task } from "../../api/types";
import { TaskState } from "../../api/types";
import type { MemoryStore } from "../../manager/store/memory-store";
import { DaemonError } from "../../node/errors";
import { lookupNode } from "../../node/lookup";
import { type Filters, groupFilters, hasAnyPrefix, labelsMatch, matchesFilters } from "../list-filters";
import { taskName } from "./format";
import { lookupService } from "./control-client";

const SERVICE_FILTERS = new Set(["id", "label", "mode", "name", "runtime"]);
const TASK_FILTERS = new Set(["id", "label", "name", "node", "service", "desired-state", "runtime"]);

/** Every task and service the simulator runs is a container (SwarmKit's runtime "container"). */
const runtimeMatches = (values: readonly string[]) => values.some((v) => v === "container" || v === "");

/** service ls: id and name are prefixes, labels all match, mode is exact (dockerd filters it). */
export function filterServices(services: readonly Service[], items: readonly string[]): Service[] | Error {
  const filters = groupFilters(items, SERVICE_FILTERS);
  if (filters instanceof Error) return filters;
  return services.filter((s) =>
    matchesFilters(filters, (key, values) => {
      switch (key) {
        case "id":
          return hasAnyPrefix(s.id, values);
        case "name":
          return hasAnyPrefix(s.spec.name, values);
        case "label":
          return labelsMatch(s.spec.labels, values);
        case "mode":
          return values.includes(s.spec.mode.kind);
        default:
          return runtimeMatches(values);
      }
    }),
  );
}

/**
 * service ps, node ps, stack ps: `service` and `node` name one object each, resolved as dockerd
 * resolves them (a reference that names none is an error); a task's labels are its service's;
 * desired-state is any task state, matched exactly (a task restarting after its delay is
 * `ready`, one scaled away `remove`). Without `tasks`, the candidates are the store's: those of
 * the services `service=` names, through the store's index, as SwarmKit's ListTasks picks an
 * index first, else every task.
 */
export function filterTasks(
  store: MemoryStore,
  items: readonly string[],
  tasks?: readonly Task[],
): Task[] | Error {
  const filters = groupFilters(items, TASK_FILTERS);
  if (filters instanceof Error) return filters;
  const resolved = resolveObjects(store, filters);
  if (resolved instanceof Error) return resolved;
  for (const s of filters.get("desired-state") ?? [])
    if (s !== "" && !(s.toUpperCase() in TaskState))
      return new DaemonError(`Invalid desired-state filter: '${s}'`);
  const candidates =
    tasks ??
    (resolved.services.size > 0
      ? [...resolved.services].flatMap((id) => store.tasksByService(id))
      : store.list("task"));
  return candidates.filter((t) =>
    matchesFilters(filters, (key, values) => {
      switch (key) {
        case "id":
          return hasAnyPrefix(t.id, values);
        case "name":
          return hasAnyPrefix(taskName(t), values);
        case "label":
          return labelsMatch(store.get("service", t.serviceId)?.spec.labels ?? {}, values);
        case "service":
          return resolved.services.has(t.serviceId);
        case "node":
          return resolved.nodes.has(t.nodeId);
        case "desired-state":
          return values.some(
            (v) => v === "" || TaskState[v.toUpperCase() as keyof typeof TaskState] === t.desiredState,
          );
        default:
          return runtimeMatches(values);
      }
    }),
  );
}

/** The IDs the service= and node= filters name (moby tasks.go resolves them before listing). */
function resolveObjects(
  store: MemoryStore,
  filters: Filters,
): { services: Set<string>; nodes: Set<string> } | Error {
  const services = new Set<string>();
  const nodes = new Set<string>();
  try {
    for (const ref of filters.get("service") ?? []) services.add(lookupService(store, ref).id);
    for (const ref of filters.get("node") ?? []) nodes.add(lookupNode(store.nodes(), ref).id);
  } catch (e) {
    return e as Error;
  }
  return { services, nodes };
}
