// Rolling updates and rollbacks (SwarmKit orchestrator/update/updater.go). When a service's
// spec changes, the slots whose task is out of date ("dirty") are replaced a few at a time:
// `parallelism` workers each take a slot, replace its task (stop-first: the old one is shut
// down and the new one started once it has stopped; start-first: the new one starts first and
// the old one is shut down once the new one runs), wait for the new task to run, then wait
// `delay` before taking the next slot. A task of this update that fails before running, or
// within `monitor` of running, is a failure; when failures / dirty slots exceed the max
// failure ratio, the failure action runs: pause, continue, or roll back to the previous spec.
// After the last slot the update is watched for one more monitor period before it is marked
// completed. The updater lives inside an orchestrator and writes through its transaction.
import { type Service, type Task, TaskState, type UpdateConfig } from "../../api/types";
import type { Timer } from "../../kernel/event-queue";
import type { WriteTx } from "../store/write-tx";
import type { RestartSupervisor, SupervisorHost } from "./restart-supervisor";
import { createTask, hasStopped, newTask, setDesired } from "./task-factory";

export const UPDATE_PAUSED = "update paused due to failure or early termination of task";
export const UPDATE_ROLLED_BACK = "update rolled back due to failure or early termination of task";
export const ROLLBACK_PAUSED = "rollback paused due to failure or early termination of task";

/** The runnable tasks of one slot, as the orchestrator sees them in this pass. */
export interface SlotView {
  key: string;
  slot: number;
  nodeId: string;
  tasks: Task[];
  dirty: boolean;
  /** An up-to-date runnable task of the slot, if it has one: the updater keeps it. */
  keep?: Task;
}

interface Worker {
  slot: string;
  newTaskId: string;
  /** start-first: the tasks to shut down once the new one runs. */
  oldTaskIds: string[];
  /** When the post-slot delay ends (-1 while waiting for the new task). */
  freeAt: number;
}

interface Run {
  specVersion: number;
  rollback: boolean;
  config: UpdateConfig;
  pending: string[];
  totalDirty: number;
  workers: Worker[];
  /** Tasks created by this run -> when they were first seen running (-1: not yet). */
  watched: Map<string, number>;
  failures: number;
  finishAt: number;
  timers: Timer[];
}

export class UpdateSupervisor {
  private readonly runs = new Map<string, Run>();

  constructor(
    private readonly host: SupervisorHost,
    private readonly restarts: RestartSupervisor,
  ) {}

  reset(): void {
    for (const r of this.runs.values()) this.cancelRun(r);
    this.runs.clear();
  }

  /** True if a change to this task concerns a running update. */
  watches(taskId: string): boolean {
    for (const r of this.runs.values()) if (r.watched.has(taskId)) return true;
    return false;
  }

  isUpdating(serviceId: string): boolean {
    return this.runs.has(serviceId);
  }

  /** The service is gone: forget its update. */
  remove(serviceId: string): void {
    const r = this.runs.get(serviceId);
    if (r) this.cancelRun(r);
    this.runs.delete(serviceId);
  }

  /**
   * One step of the service's update, given its slots as the orchestrator sees them now.
   * Starts an update when slots are dirty, advances the workers, watches for failures.
   */
  step(tx: WriteTx, service: Service, slots: Map<string, SlotView>): void {
    const status = service.updateStatus?.state;
    let run = this.runs.get(service.id);
    if (run && run.specVersion !== service.specVersion) {
      this.cancelRun(run);
      this.runs.delete(service.id);
      run = undefined;
    }
    if (status === "paused" || status === "rollback_paused") {
      if (run) this.cancelRun(run);
      this.runs.delete(service.id);
      return;
    }
    if (!run) {
      const dirty = [...slots.values()].filter((s) => s.dirty).map((s) => s.key);
      if (dirty.length === 0) {
        // Nothing to replace: an update in progress (e.g. under a new leader) is complete.
        if (status === "updating" || status === "rollback_started")
          this.complete(tx, service, status === "rollback_started");
        return;
      }
      const rollback = status === "rollback_started";
      run = {
        specVersion: service.specVersion,
        rollback,
        config: rollback ? service.spec.rollback : service.spec.update,
        pending: dirty,
        totalDirty: dirty.length,
        workers: [],
        watched: new Map(),
        failures: 0,
        finishAt: -1,
        timers: [],
      };
      this.runs.set(service.id, run);
      if (!rollback && status !== "updating")
        tx.update("service", service.id, (s) => {
          s.updateStatus = { state: "updating", startedAt: this.host.now(), message: "update in progress" };
        });
    }
    if (this.checkFailures(tx, service, run)) return;
    this.advanceWorkers(tx, run);
    this.startWorkers(tx, service, run, slots);
    if (run.pending.length === 0 && run.workers.length === 0) this.finish(tx, service, run);
  }

  private checkFailures(tx: WriteTx, service: Service, run: Run): boolean {
    const now = this.host.now();
    const monitor = run.config.monitorMs;
    for (const [id, since] of run.watched) {
      const t = this.host.store.get("task", id);
      if (!t) {
        run.watched.delete(id);
        continue;
      }
      if (t.status.state === TaskState.RUNNING && since < 0) {
        run.watched.set(id, t.status.timestamp);
        if (monitor > 0) run.timers.push(this.host.after(monitor, () => this.host.kick()));
        continue;
      }
      if (since >= 0 && monitor > 0 && now - since > monitor) {
        run.watched.delete(id); // survived its monitor period
        continue;
      }
      if (!hasStopped(t) || t.desiredState > TaskState.RUNNING) continue;
      run.watched.delete(id);
      run.failures++;
      if (run.failures <= run.config.maxFailureRatio * run.totalDirty) continue;
      const action = run.config.failureAction;
      if (action === "continue") continue;
      this.cancelRun(run);
      this.runs.delete(service.id);
      if (run.rollback) {
        tx.update("service", service.id, (s) => {
          s.updateStatus = {
            state: "rollback_paused",
            startedAt: s.updateStatus?.startedAt,
            message: `${ROLLBACK_PAUSED} ${id}`,
          };
        });
      } else if (action === "rollback" && service.previousSpec) {
        tx.update("service", service.id, (s) => {
          const prev = s.previousSpec!;
          s.previousSpec = s.spec;
          s.spec = prev;
          s.specVersion++;
          s.updateStatus = {
            state: "rollback_started",
            startedAt: this.host.now(),
            message: `${UPDATE_ROLLED_BACK} ${id}`,
          };
        });
      } else {
        tx.update("service", service.id, (s) => {
          s.updateStatus = {
            state: "paused",
            startedAt: s.updateStatus?.startedAt,
            message: `${UPDATE_PAUSED} ${id}`,
          };
        });
      }
      return true;
    }
    return false;
  }

  private advanceWorkers(tx: WriteTx, run: Run): void {
    const now = this.host.now();
    run.workers = run.workers.filter((w) => {
      if (w.freeAt >= 0) return now < w.freeAt;
      const t = tx.get("task", w.newTaskId);
      if (t && t.status.state < TaskState.RUNNING && t.desiredState <= TaskState.RUNNING) return true;
      // The new task runs (or ended): start-first can now retire the old ones.
      if (t && t.status.state === TaskState.RUNNING)
        for (const id of w.oldTaskIds) {
          const old = tx.get("task", id);
          if (old) setDesired(tx, old, TaskState.SHUTDOWN);
        }
      if (run.config.delayMs <= 0) return false;
      w.freeAt = now + run.config.delayMs;
      run.timers.push(this.host.after(run.config.delayMs, () => this.host.kick()));
      return true;
    });
  }

  private startWorkers(tx: WriteTx, service: Service, run: Run, slots: Map<string, SlotView>): void {
    const limit = run.config.parallelism === 0 ? Number.POSITIVE_INFINITY : run.config.parallelism;
    while (run.workers.length < limit && run.pending.length > 0) {
      const key = run.pending.shift()!;
      const slot = slots.get(key);
      if (!slot?.dirty) continue; // scaled away, or already replaced by a restart
      if (slot.keep) {
        this.useExistingTask(tx, slot, slot.keep);
        continue;
      }
      const now = this.host.now();
      const olds = slot.tasks.filter((t) => t.desiredState <= TaskState.RUNNING);
      let created: Task;
      if (run.config.order === "start-first") {
        created = createTask(
          tx,
          newTask(this.host.random, service, slot.slot, slot.nodeId, now, TaskState.RUNNING),
        );
      } else {
        for (const t of olds) setDesired(tx, t, TaskState.SHUTDOWN);
        created = createTask(
          tx,
          newTask(this.host.random, service, slot.slot, slot.nodeId, now, TaskState.READY),
        );
        const alive = olds.find((t) => !hasStopped(t));
        this.restarts.delayStart(created.id, alive?.id ?? "", 0);
      }
      slot.tasks = [...slot.tasks, created];
      slot.dirty = false;
      run.watched.set(created.id, -1);
      run.workers.push({
        slot: key,
        newTaskId: created.id,
        oldTaskIds: run.config.order === "start-first" ? olds.map((t) => t.id) : [],
        freeAt: -1,
      });
    }
  }

  /**
   * SwarmKit's useExistingTask: the slot already has an up-to-date task; the others are shut
   * down and it is moved on to RUNNING. No new task, so nothing to wait for.
   */
  private useExistingTask(tx: WriteTx, slot: SlotView, keep: Task): void {
    for (const t of slot.tasks) if (t !== keep) setDesired(tx, t, TaskState.SHUTDOWN);
    if (keep.desiredState < TaskState.RUNNING) setDesired(tx, keep, TaskState.RUNNING);
    slot.tasks = [keep];
    slot.dirty = false;
  }

  private finish(tx: WriteTx, service: Service, run: Run): void {
    const now = this.host.now();
    if (run.finishAt < 0) {
      const { monitorMs, delayMs } = run.config;
      const wait = delayMs >= monitorMs && monitorMs > 0 ? delayMs + 1000 : monitorMs;
      run.finishAt = now + wait;
      if (wait > 0) {
        run.timers.push(this.host.after(wait, () => this.host.kick()));
        return;
      }
    }
    if (now < run.finishAt) return;
    this.cancelRun(run);
    this.runs.delete(service.id);
    this.complete(tx, service, run.rollback);
  }

  private complete(tx: WriteTx, service: Service, rollback: boolean): void {
    tx.update("service", service.id, (s) => {
      s.updateStatus = rollback
        ? {
            state: "rollback_completed",
            startedAt: s.updateStatus?.startedAt,
            completedAt: this.host.now(),
            message: "rollback completed",
          }
        : {
            state: "completed",
            startedAt: s.updateStatus?.startedAt,
            completedAt: this.host.now(),
            message: "update completed",
          };
    });
  }

  private cancelRun(run: Run): void {
    for (const t of run.timers) this.host.cancel(t);
    run.timers = [];
  }
}
