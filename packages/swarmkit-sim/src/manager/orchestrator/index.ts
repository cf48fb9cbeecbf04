// The services half of a leader's subsystems, in the order SwarmKit starts them: allocator,
// scheduler, replicated, global and jobs orchestrators, constraint enforcer, task reaper. A
// manager starts a fresh set each time it becomes leader.
import type { LeaderComponent } from "../component";
import { Allocator } from "../allocator/allocator";
import { Scheduler } from "../scheduler/scheduler";
import { ConstraintEnforcer } from "./constraint-enforcer";
import { GlobalOrchestrator } from "./global";
import { JobsOrchestrator } from "./jobs";
import { ReplicatedOrchestrator } from "./replicated";
import { TaskReaper } from "./task-reaper";

export function serviceComponents(): LeaderComponent[] {
  return [
    new Allocator(),
    new Scheduler(),
    new ReplicatedOrchestrator(),
    new GlobalOrchestrator(),
    new JobsOrchestrator(),
    new ConstraintEnforcer(),
    new TaskReaper(),
  ];
}

export {
  Allocator,
  ConstraintEnforcer,
  Scheduler,
  GlobalOrchestrator,
  JobsOrchestrator,
  ReplicatedOrchestrator,
  TaskReaper,
};
export { defaultServiceSpec, defaultTaskSpec, DEFAULT_UPDATE_CONFIG } from "./service-defaults";
export { newTask, slotKey } from "./task-factory";
export { isTaskDirty } from "./dirty";
