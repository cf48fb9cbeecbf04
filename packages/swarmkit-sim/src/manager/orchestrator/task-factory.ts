// New tasks from a service (SwarmKit orchestrator.NewTask): a task is a frozen copy of the
// service's task spec, tagged with the spec version it came from (and a job's iteration), and a
// slot (replicated, replicated job) or a node (global, global job).
import { isSlotMode, type Service, type ServiceMode, type Task, TaskState } from "../../api/types";
import { newId } from "../../ca/identity";
import type { RandomSource } from "../../ca/random";
import type { WriteTx } from "../store/write-tx";

export type NewTask = Omit<Task, "version" | "createdAt" | "updatedAt">;

export function newTask(
  random: RandomSource,
  service: Service,
  slot: number,
  nodeId: string,
  now: number,
  desiredState: TaskState = TaskState.RUNNING,
): NewTask {
  return {
    id: newId(random),
    serviceId: service.id,
    serviceName: service.spec.name,
    slot,
    nodeId,
    spec: service.spec.task,
    specVersion: service.specVersion,
    ...(service.jobStatus ? { jobIteration: service.jobStatus.jobIteration } : {}),
    desiredState,
    status: { state: TaskState.NEW, timestamp: now, message: "created" },
    networks: [],
    endpoint: service.endpoint ? { ports: service.endpoint.ports } : undefined,
  };
}

export function createTask(tx: WriteTx, t: NewTask): Task {
  return tx.create("task", t);
}

/** The key of a task's slot: its slot number for replicated services, its node for global ones. */
export function slotKey(t: Pick<Task, "slot" | "nodeId">): string {
  return t.slot > 0 ? `${t.slot}` : `node:${t.nodeId}`;
}

/**
 * SwarmKit's SlotTuple as the service's mode sees it: a replicated job numbers its slots from
 * 0 (so slot 0 is a slot, not "no slot" as slotKey assumes), a global job keys by node.
 */
export function slotKeyIn(mode: ServiceMode, t: Pick<Task, "slot" | "nodeId">): string {
  if (mode.kind === "replicated-job") return `${t.slot}`;
  return isSlotMode(mode) ? slotKey(t) : `node:${t.nodeId}`;
}

/** Tasks the orchestrator still wants to run (SwarmKit: DesiredState <= RUNNING). */
export function isRunnable(t: Task): boolean {
  return t.desiredState <= TaskState.RUNNING;
}

/** The task has stopped for good: its observed state is past RUNNING. */
export function hasStopped(t: Task): boolean {
  return t.status.state > TaskState.RUNNING;
}

/** Sets a task's desired state, keeping states monotonic (never lowers it). */
export function setDesired(tx: WriteTx, t: Task, state: TaskState): void {
  const cur = tx.get("task", t.id);
  if (!cur || cur.desiredState >= state) return;
  tx.update("task", t.id, (d) => {
    d.desiredState = state;
  });
}
