// Is a task out of date with its service (SwarmKit orchestrator.IsTaskDirty)? Its spec or its
// published ports differ. A change to placement constraints alone does not make a task dirty
// while its node still satisfies the new constraints.
import { type Node, type Service, type Task, TaskState } from "../../api/types";
import { parseConstraints, constraintsMatch } from "../constraint/constraint";
import { deepEqual } from "./deep-equal";

export function isTaskDirty(t: Task, service: Service, node: Node | undefined): boolean {
  const want = service.spec.task;
  if (t.spec !== want) {
    const { placement: pa, ...restA } = t.spec;
    const { placement: pb, ...restB } = want;
    if (!deepEqual(restA, restB)) return true;
    if (pa.maxReplicas !== pb.maxReplicas || !deepEqual(pa.preferences, pb.preferences)) return true;
    if (!deepEqual(pa.constraints, pb.constraints)) {
      if (!node) return true;
      const parsed = parseConstraints(pb.constraints);
      if (!parsed.ok || !constraintsMatch(parsed.constraints, node)) return true;
    }
  }
  // The allocator copies the service's endpoint into a task as it allocates it (NEW -> PENDING).
  if (t.status.state === TaskState.NEW) return false;
  return !deepEqual(t.endpoint?.ports ?? [], service.endpoint?.ports ?? []);
}
