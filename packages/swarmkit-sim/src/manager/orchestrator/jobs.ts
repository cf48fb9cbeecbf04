// The jobs orchestrator (SwarmKit orchestrator/jobs): services whose tasks run to completion.
// A replicated job keeps at most MaxConcurrent tasks of its current iteration going until
// TotalCompletions of them have completed, each in a slot of its own (0 .. total-1); a global job
// runs one task on every node that is ready, active and meets the constraints. Tasks are made
// with desired state COMPLETE; one that fails goes to the restart supervisor (which treats
// `any` as `on-failure`: a completed task is never restarted). Every update of a job service
// starts a new iteration (the control API bumps JobStatus.JobIteration): tasks of older
// iterations still going are removed, and the new iteration starts from nothing.
//
// As SwarmKit's, it reconciles a job when the service is created or updated and when one of its
// tasks stops while it should run, not on node changes.
import { isJobMode, type Node, type Service, type Task, TaskState } from "../../api/types";
import { constraintsMatch, parseConstraints } from "../constraint/constraint";
import type { StoreEvent } from "../store/actions";
import type { WriteTx } from "../store/write-tx";
import { isInvalidNode } from "./node-validity";
import { RestartSupervisor } from "./restart-supervisor";
import { StoreLoop } from "./store-loop";
import { createTask, newTask, setDesired } from "./task-factory";

/** The task belongs to the job's current iteration. */
function current(s: Service, t: Task): boolean {
  return t.jobIteration !== undefined && t.jobIteration === (s.jobStatus?.jobIteration ?? 0);
}

export class JobsOrchestrator extends StoreLoop {
  readonly name = "jobs-orchestrator";
  private readonly dirty = new Set<string>();
  private restarts!: RestartSupervisor;

  protected init(): void {
    this.restarts = new RestartSupervisor(this.supervisorHost());
    for (const s of this.ctx.store.values("service")) if (isJobMode(s.spec.mode)) this.dirty.add(s.id);
    for (const t of this.ctx.store.values("task")) if (t.jobIteration !== undefined) this.restarts.resume(t);
  }

  protected reset(): void {
    this.restarts?.reset();
    this.dirty.clear();
  }

  protected observe(events: readonly StoreEvent[]): boolean {
    let work = false;
    for (const e of events) {
      if (e.type === "service") {
        const s = e.object as Service;
        if (e.op === "delete") continue; // the other orchestrators remove its tasks
        if (isJobMode(s.spec.mode)) {
          this.dirty.add(s.id);
          work = true;
        }
      } else if (e.type === "task" && e.op !== "delete") {
        const t = e.object as Task;
        if (t.jobIteration === undefined) continue;
        if (this.restarts.watches(t.id)) work = true;
        // A replacement waiting to start that reached the store after this leader's init.
        if (this.restarts.resume(t)) work = true;
        // A task that stopped while it should run (failed, rejected, shut down) or completed.
        const old = e.old as Task | undefined;
        if (
          t.status.state > TaskState.RUNNING &&
          t.desiredState <= TaskState.COMPLETE &&
          (!old || old.status.state <= TaskState.RUNNING)
        ) {
          this.dirty.add(t.serviceId);
          work = true;
        }
      }
    }
    return work;
  }

  protected reconcile(tx: WriteTx): (() => void) | undefined {
    const taken = [...this.dirty];
    this.dirty.clear();
    for (const id of taken) {
      const s = this.ctx.store.get("service", id);
      if (!s) continue;
      if (s.spec.mode.kind === "replicated-job") this.replicatedJob(tx, s, s.spec.mode);
      else if (s.spec.mode.kind === "global-job") this.globalJob(tx, s);
    }
    this.restarts.applyStarts(tx);
    return () => {
      for (const id of taken) this.dirty.add(id);
    };
  }

  /** SwarmKit jobs/replicated ReconcileService. */
  private replicatedJob(
    tx: WriteTx,
    s: Service,
    mode: { maxConcurrent: number; totalCompletions: number },
  ): void {
    let running = 0;
    let complete = 0;
    const slots = new Set<number>();
    const restart: Task[] = [];
    for (const t of this.ctx.store.tasksByService(s.id)) {
      if (t.jobIteration === undefined) continue;
      if (!current(s, t)) {
        // A previous iteration's task still going is removed.
        if (t.status.state <= TaskState.RUNNING && t.desiredState !== TaskState.REMOVE)
          setDesired(tx, t, TaskState.REMOVE);
        continue;
      }
      if (t.status.state === TaskState.COMPLETE) {
        complete++;
        slots.add(t.slot);
      } else if (t.desiredState <= TaskState.COMPLETE) {
        // Going, or waiting for a restart (it still holds its slot).
        running++;
        slots.add(t.slot);
        if (t.status.state > TaskState.COMPLETE) restart.push(t);
      }
    }
    const wanted = Math.max(
      0,
      Math.min(mode.maxConcurrent - running, mode.totalCompletions - complete - running),
    );
    let slot = 0;
    for (let i = 0; i < wanted; i++) {
      while (slots.has(slot)) slot++;
      if (slot >= mode.totalCompletions) break;
      slots.add(slot);
      createTask(tx, newTask(this.ctx.random, s, slot, "", this.now(), TaskState.COMPLETE));
    }
    for (const t of restart) this.restarts.restart(tx, s, tx.get("task", t.id) ?? t, "");
  }

  /** SwarmKit jobs/global ReconcileService. */
  private globalJob(tx: WriteTx, s: Service): void {
    const parsed = parseConstraints(s.spec.task.placement.constraints);
    const constraints = parsed.ok ? parsed.constraints : [];
    const candidates: Node[] = [];
    const invalid: Node[] = [];
    for (const n of this.ctx.store.values("node")) {
      if (!constraintsMatch(constraints, n)) continue;
      if (isInvalidNode(n)) invalid.push(n);
      else if (n.spec.availability === "active" && n.status.state === "ready") candidates.push(n);
    }
    const byNode = new Map<string, Task>();
    const restart: Task[] = [];
    for (const t of this.ctx.store.tasksByService(s.id)) {
      if (t.jobIteration === undefined) continue;
      if (!current(s, t)) {
        if (t.desiredState !== TaskState.REMOVE) setDesired(tx, t, TaskState.REMOVE);
        continue;
      }
      if (t.desiredState > TaskState.COMPLETE) continue;
      if (t.status.state > TaskState.COMPLETE) restart.push(t);
      byNode.set(t.nodeId, t);
    }
    for (const n of candidates)
      if (!byNode.has(n.id))
        createTask(tx, newTask(this.ctx.random, s, 0, n.id, this.now(), TaskState.COMPLETE));
    for (const t of restart) this.restarts.restart(tx, s, tx.get("task", t.id) ?? t, t.nodeId);
    // Tasks on nodes that went away (down, drained, removed) are shut down.
    for (const n of invalid) {
      const t = byNode.get(n.id);
      if (t && t.status.state <= TaskState.RUNNING) setDesired(tx, t, TaskState.SHUTDOWN);
    }
  }
}
