// The task reaper (SwarmKit orchestrator/taskreaper): deletes tasks the cluster no longer
// needs. Tasks marked REMOVE (scale-down, service removal) go as soon as they have stopped, or
// at once if they never reached a node. Otherwise each slot (per node for global services)
// keeps at most the cluster's TaskHistoryRetentionLimit tasks (default 5, at least
// MaxAttempts + 1 when the restart policy limits attempts; negative: keep all), deleting the
// oldest finished ones first. It runs every 250 ms while there is work. Jobs keep their history
// (SwarmKit prunes replicated and global services only): their tasks go only when removed.
import { type Task, TaskState } from "../../api/types";
import type { StoreEvent } from "../store/actions";
import type { WriteTx } from "../store/write-tx";
import { StoreLoop } from "./store-loop";
import { slotKey } from "./task-factory";

export const REAPER_INTERVAL_MS = 250;
export const DEFAULT_TASK_HISTORY = 5;

export class TaskReaper extends StoreLoop {
  readonly name = "task-reaper";
  /** "serviceId|slotKey" of slots to check. */
  private readonly dirty = new Set<string>();
  private readonly removable = new Set<string>();

  constructor() {
    super();
    this.debounceMs = REAPER_INTERVAL_MS;
    this.maxLatencyMs = REAPER_INTERVAL_MS;
  }

  protected init(): void {
    for (const t of this.ctx.store.values("task")) this.note(t);
  }

  protected reset(): void {
    this.dirty.clear();
    this.removable.clear();
  }

  private note(t: Task): boolean {
    if (t.desiredState === TaskState.REMOVE) {
      if (t.status.state > TaskState.RUNNING || t.status.state < TaskState.ASSIGNED) {
        this.removable.add(t.id);
        return true;
      }
      return false;
    }
    if (t.jobIteration !== undefined) return false;
    this.dirty.add(`${t.serviceId}|${slotKey(t)}`);
    return true;
  }

  protected observe(events: readonly StoreEvent[]): boolean {
    let work = false;
    for (const e of events) {
      if (e.type === "task" && e.op !== "delete") {
        const t = e.object as Task;
        const old = e.old as Task | undefined;
        // New tasks and tasks that just stopped can push a slot over the limit.
        if (
          !old ||
          t.desiredState !== old.desiredState ||
          t.status.state > TaskState.RUNNING !== old.status.state > TaskState.RUNNING
        )
          work = this.note(t) || work;
      } else if (e.type === "cluster" && e.op === "update") {
        work = true;
      }
    }
    return work;
  }

  protected reconcile(tx: WriteTx): (() => void) | undefined {
    const store = this.ctx.store;
    const removable = [...this.removable];
    const dirty = [...this.dirty];
    this.removable.clear();
    this.dirty.clear();
    const deleted = new Set<string>();
    for (const id of removable) {
      const t = store.get("task", id);
      if (!t || t.desiredState !== TaskState.REMOVE) continue;
      tx.delete("task", id);
      deleted.add(id);
    }
    const limit = store.cluster()?.spec.orchestration.taskHistoryRetentionLimit ?? DEFAULT_TASK_HISTORY;
    if (limit >= 0) {
      const bySlot = new Map<string, Task[]>();
      const wanted = new Set(dirty);
      const services = new Set(dirty.map((k) => k.slice(0, k.indexOf("|"))));
      for (const sid of services)
        for (const t of store.tasksByService(sid)) {
          const key = `${sid}|${slotKey(t)}`;
          if (!wanted.has(key) || deleted.has(t.id)) continue;
          let list = bySlot.get(key);
          if (!list) bySlot.set(key, (list = []));
          list.push(t);
        }
      for (const tasks of bySlot.values()) {
        const service = store.get("service", tasks[0].serviceId);
        const attempts = service?.spec.task.restartPolicy.maxAttempts ?? 0;
        const keep = attempts > 0 ? Math.max(limit, attempts + 1) : limit;
        if (tasks.length <= keep) continue;
        // Oldest first; only finished tasks that nobody wants running may go.
        const finished = tasks
          .filter((t) => t.desiredState > TaskState.RUNNING && t.status.state > TaskState.RUNNING)
          .sort((a, b) => a.status.timestamp - b.status.timestamp || a.createdAt - b.createdAt);
        let excess = tasks.length - keep;
        for (const t of finished) {
          if (excess-- <= 0) break;
          tx.delete("task", t.id);
        }
      }
    }
    return () => {
      for (const id of removable) this.removable.add(id);
      for (const k of dirty) this.dirty.add(k);
    };
  }
}
