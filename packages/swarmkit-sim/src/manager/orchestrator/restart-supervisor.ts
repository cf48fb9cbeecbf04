// The restart supervisor (SwarmKit orchestrator/restart): when a task dies, or its node goes
// away, the orchestrator shuts it down and, if the service's restart policy allows, creates a
// replacement in the same slot. The replacement is created with desired state READY (so it can
// be scheduled and prepared) and only moved to RUNNING after the restart delay and once the old
// task has stopped (not waited for when the old task is already dead or its node is DOWN; at
// most one minute). Restart history (for max attempts and the window) lives in memory, as in
// SwarmKit: a new leader starts counting afresh.
import { isJobMode, type Service, type Task, TaskState } from "../../api/types";
import type { Timer } from "../../kernel/event-queue";
import type { MemoryStore } from "../store/memory-store";
import type { WriteTx } from "../store/write-tx";
import { createTask, hasStopped, newTask, setDesired, slotKeyIn } from "./task-factory";
import type { RandomSource } from "../../ca/random";

/** SwarmKit defaultOldTaskTimeout: a replacement waits at most this long for the old task to stop. */
export const OLD_TASK_TIMEOUT_MS = 60_000;

export interface SupervisorHost {
  now(): number;
  after(ms: number, fn: () => void): Timer;
  cancel(t: Timer | null | undefined): void;
  /** Ask for a reconcile pass. */
  kick(): void;
  random: RandomSource;
  store: MemoryStore;
}

interface DelayedStart {
  taskId: string;
  /** The task it replaces, to wait for (empty: no wait). */
  oldTaskId: string;
  readyAt: number;
  deadline: number;
  timers: Timer[];
}

export class RestartSupervisor {
  private readonly delayed = new Map<string, DelayedStart>();
  /** Old task ID -> the delayed start waiting for it. */
  private readonly waitingOn = new Map<string, string>();
  /** Restart times per (service, slot key, spec version). */
  private readonly history = new Map<string, number[]>();

  constructor(private readonly host: SupervisorHost) {}

  reset(): void {
    for (const d of this.delayed.values()) for (const t of d.timers) this.host.cancel(t);
    this.delayed.clear();
    this.waitingOn.clear();
    this.history.clear();
  }

  /**
   * Picks up a replacement still waiting to start that this supervisor does not track: the rest
   * of its delay, no wait (SwarmKit initTasks). A new leader does so for what its store holds
   * when it starts, and for such tasks its store learns of later (the orchestrators watch for
   * them: the leader's components start once it has applied its whole log, as SwarmKit's
   * caughtUp, but a task another writer put in the store meanwhile is caught too). True if it
   * now tracks the task.
   */
  resume(t: Task): boolean {
    if (t.desiredState !== TaskState.READY || this.delayed.has(t.id)) return false;
    const elapsed = this.host.now() - t.createdAt;
    this.delayStart(t.id, "", Math.max(0, t.spec.restartPolicy.delayMs - elapsed));
    return true;
  }

  /**
   * Should a task that ended like this be replaced (SwarmKit shouldRestart)? A job treats
   * `any` as `on-failure`: a completed job task is done, not restarted.
   */
  shouldRestart(t: Task, service: Service): boolean {
    const policy = t.spec.restartPolicy;
    if (policy.condition === "none") return false;
    if (
      (policy.condition === "on-failure" || isJobMode(service.spec.mode)) &&
      t.status.state === TaskState.COMPLETE
    )
      return false;
    if (policy.maxAttempts === 0) return true;
    const restarts = this.history.get(this.historyKey(service, t)) ?? [];
    if (policy.windowMs === 0) return restarts.length < policy.maxAttempts;
    const since = t.status.timestamp - policy.windowMs;
    return restarts.filter((at) => at >= since).length < policy.maxAttempts;
  }

  /**
   * Shuts `t` down and, if the policy allows, creates its replacement. Returns the replacement.
   * `nodeId` is the node for a global service's replacement ("" for replicated).
   */
  restart(tx: WriteTx, service: Service, t: Task, nodeId: string): Task | undefined {
    // Still wanted: desired RUNNING (or READY), or COMPLETE for a job's task.
    if (t.desiredState > TaskState.COMPLETE) return undefined;
    setDesired(tx, t, TaskState.SHUTDOWN);
    if (!this.shouldRestart(t, service)) return undefined;
    const node = t.nodeId ? this.host.store.get("node", t.nodeId) : undefined;
    // Drained nodes shed their tasks at once; otherwise the policy's delay applies.
    const delay = node?.spec.availability === "drain" ? 0 : service.spec.task.restartPolicy.delayMs;
    const waitStop = !!node && node.status.state !== "down" && !hasStopped(t);
    const created = createTask(
      tx,
      newTask(this.host.random, service, t.slot, nodeId, this.host.now(), TaskState.READY),
    );
    this.record(service, t);
    this.delayStart(created.id, waitStop ? t.id : "", delay);
    return created;
  }

  /** Starts `taskId` after `delayMs`, and after `oldTaskId` stops (if given; at most 1 min). */
  delayStart(taskId: string, oldTaskId: string, delayMs: number): void {
    const now = this.host.now();
    const d: DelayedStart = {
      taskId,
      oldTaskId,
      readyAt: now + delayMs,
      deadline: now + OLD_TASK_TIMEOUT_MS,
      timers: [],
    };
    d.timers.push(this.host.after(delayMs, () => this.host.kick()));
    if (oldTaskId) {
      d.timers.push(this.host.after(OLD_TASK_TIMEOUT_MS, () => this.host.kick()));
      this.waitingOn.set(oldTaskId, taskId);
    }
    this.delayed.set(taskId, d);
  }

  /** True if a change to this task may release a delayed start. */
  watches(taskId: string): boolean {
    return this.waitingOn.has(taskId) || this.delayed.has(taskId);
  }

  isDelayed(taskId: string): boolean {
    return this.delayed.has(taskId);
  }

  /**
   * Moves every replacement whose wait is over to desired state RUNNING, or COMPLETE for a
   * job's task (SwarmKit StartNow).
   */
  applyStarts(tx: WriteTx): void {
    const now = this.host.now();
    for (const d of [...this.delayed.values()]) {
      const t = tx.get("task", d.taskId);
      if (!t || t.desiredState > TaskState.READY) {
        this.forget(d);
        continue;
      }
      if (now < d.readyAt) continue;
      if (d.oldTaskId && now < d.deadline && !this.oldTaskGone(d.oldTaskId)) continue;
      // Kept until the store shows the start (the first check above forgets it then): should
      // this pass's write fail while this manager still leads, the next pass starts it again
      // instead of leaving the task READY for good.
      setDesired(tx, t, t.jobIteration === undefined ? TaskState.RUNNING : TaskState.COMPLETE);
    }
  }

  private oldTaskGone(id: string): boolean {
    const old = this.host.store.get("task", id);
    if (!old || hasStopped(old)) return true;
    const node = old.nodeId ? this.host.store.get("node", old.nodeId) : undefined;
    return !node || node.status.state === "down";
  }

  private forget(d: DelayedStart): void {
    for (const t of d.timers) this.host.cancel(t);
    this.delayed.delete(d.taskId);
    if (d.oldTaskId && this.waitingOn.get(d.oldTaskId) === d.taskId) this.waitingOn.delete(d.oldTaskId);
  }

  private historyKey(service: Service, t: Task): string {
    return `${service.id}/${slotKeyIn(service.spec.mode, t)}/${service.specVersion}`;
  }

  private record(service: Service, t: Task): void {
    const key = this.historyKey(service, t);
    const list = this.history.get(key) ?? [];
    list.push(t.status.timestamp);
    this.history.set(key, list);
  }
}
