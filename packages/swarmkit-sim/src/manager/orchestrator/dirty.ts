// Is a task out of date with its service (SwarmKit orchestrator.IsTaskDirty)? Not when it was
// made from the service's current spec version. Otherwise, when its spec or its published
// ports differ; but a change to the placement alone (constraints, preferences, max replicas)
// leaves a task alone while its node still satisfies the new constraints (SwarmKit's
// IsTaskDirtyPlacementConstraintsOnly): only a task on a node that no longer matches moves.
import { type Node, type Service, type Task, TaskState } from "../../api/types";
import { parseConstraints, constraintsMatch } from "../constraint/constraint";
import { deepEqual } from "./deep-equal";

export function isTaskDirty(t: Task, service: Service, node: Node | undefined): boolean {
  if (t.specVersion === service.specVersion) return false;
  const want = service.spec.task;
  if (t.spec !== want) {
    const { placement: pa, ...restA } = t.spec;
    const { placement: pb, ...restB } = want;
    if (!deepEqual(restA, restB)) return true;
    if (!deepEqual(pa, pb) && !nodeMatches(pb.constraints, node)) return true;
  }
  // The allocator copies the service's endpoint into a task as it allocates it (NEW -> PENDING).
  if (t.status.state === TaskState.NEW) return false;
  return !deepEqual(t.endpoint?.ports ?? [], service.endpoint?.ports ?? []);
}

/** SwarmKit nodeMatches: a task on no node matches nothing. */
function nodeMatches(constraints: readonly string[], node: Node | undefined): boolean {
  if (!node) return false;
  const parsed = parseConstraints(constraints);
  return parsed.ok && constraintsMatch(parsed.constraints, node);
}
