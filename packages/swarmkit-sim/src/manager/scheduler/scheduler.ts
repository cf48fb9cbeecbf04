// The scheduler (SwarmKit manager/scheduler), a leader-only loop. It picks up tasks the
// allocator made PENDING, groups identical ones (same service and spec version), and assigns
// each to a node through the filter pipeline and spreading (plan.ts); tasks that arrive with a
// node (global services) are only checked against it. Decisions are written in batches after a
// 50 ms debounce (at most 1 s after the first event). A task no node can take stays PENDING with
// Status.Err explaining why, and is tried again when nodes or tasks change. A task is scheduled
// once and never moved afterwards.
import { type Task, TaskState } from "../../api/types";
import type { CostModel } from "../cost-model";
import type { StoreEvent } from "../store/actions";
import type { WriteTx } from "../store/write-tx";
import { StoreLoop } from "../orchestrator/store-loop";
import { DecisionLog } from "./decisions";
import { buildNodeInfos, type NodeInfo } from "./node-info";
import { checkPreassigned, planGroup } from "./plan";

/** SwarmKit commitDebounceGap and maxLatency. */
export const COMMIT_DEBOUNCE_MS = 50;
export const MAX_LATENCY_MS = 1000;

export const ASSIGNED_MESSAGE = "scheduler assigned task to node";
export const PREASSIGNED_MESSAGE = "scheduler confirmed task can run on preassigned node";

/** PENDING and still wanted: desired RUNNING (or READY), or COMPLETE for a job's task. */
function wantsScheduling(t: Task): boolean {
  return t.status.state === TaskState.PENDING && t.desiredState <= TaskState.COMPLETE;
}

export class Scheduler extends StoreLoop {
  readonly name = "scheduler";
  /** Tasks waiting for a node. */
  private readonly pending = new Set<string>();
  /** Recent failures per node (kept across passes: the store does not remember them). */
  private readonly failures: { nodeId: string; serviceId: string; specVersion: number; at: number }[] = [];
  /** Statistics for tests and benches. */
  passes = 0;
  assignedTotal = 0;
  /** Why each task went where it went (the manager's log, kept across leaderships). */
  private log = new DecisionLog();
  /** What the last pass looked at, for its cost: nodes, and tasks decided. */
  private lastPass = { ran: false, nodes: 0, tasks: 0 };

  constructor() {
    super();
    this.debounceMs = COMMIT_DEBOUNCE_MS;
    this.maxLatencyMs = MAX_LATENCY_MS;
  }

  protected init(): void {
    if (this.ctx.decisions) this.log = this.ctx.decisions;
    for (const t of this.ctx.store.values("task")) if (wantsScheduling(t)) this.pending.add(t.id);
  }

  /** The decision log this scheduler writes to. */
  get decisions(): DecisionLog {
    return this.log;
  }

  protected reset(): void {
    this.pending.clear();
    this.failures.length = 0;
  }

  protected observe(events: readonly StoreEvent[]): boolean {
    let work = false;
    for (const e of events) {
      if (e.type === "node") {
        // A node that becomes ready (or is drained, relabelled...) may change what fits.
        if (this.pending.size > 0) work = true;
        continue;
      }
      if (e.type !== "task") continue;
      const t = e.object as Task;
      if (e.op === "delete" || !wantsScheduling(t)) {
        if (this.pending.delete(t.id)) work = true;
        const old = e.old as Task | undefined;
        if (old && t.nodeId && t.status.state > TaskState.RUNNING && old.status.state <= TaskState.RUNNING) {
          // Resources were freed; a failure also counts against the node.
          if (t.status.state === TaskState.FAILED || t.status.state === TaskState.REJECTED)
            this.failures.push({
              nodeId: t.nodeId,
              serviceId: t.serviceId,
              specVersion: t.specVersion,
              at: this.now(),
            });
          if (this.pending.size > 0) work = true;
        }
        continue;
      }
      if (!this.pending.has(t.id)) {
        this.pending.add(t.id);
        work = true;
      }
    }
    return work;
  }

  protected reconcile(tx: WriteTx): (() => void) | undefined {
    this.lastPass = { ran: false, nodes: 0, tasks: 0 };
    if (this.pending.size === 0) return undefined;
    this.passes++;
    const store = this.ctx.store;
    const now = this.now();
    const infos = buildNodeInfos(store.values("node"), store.values("task"));
    this.applyFailures(infos, now);
    const list = [...infos.values()];
    const groups = new Map<string, Task[]>();
    const preassigned: Task[] = [];
    const taken = [...this.pending];
    for (const id of taken) {
      const t = store.get("task", id);
      if (!t || !wantsScheduling(t)) {
        this.pending.delete(id);
        continue;
      }
      if (t.nodeId) {
        preassigned.push(t);
        continue;
      }
      const key = `${t.serviceId}/${t.specVersion}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(t);
    }
    const log = this.log;
    this.lastPass = { ran: true, nodes: list.length, tasks: taken.length };
    for (const t of preassigned) {
      const r = checkPreassigned(t, infos.get(t.nodeId), now, log);
      const passId = r.passId ?? 0;
      if (r.ok) {
        this.assign(tx, t, t.nodeId, PREASSIGNED_MESSAGE, now);
        log.record({
          taskId: t.id,
          at: now,
          outcome: "preassigned",
          nodeId: t.nodeId,
          message: PREASSIGNED_MESSAGE,
          passId,
        });
      } else {
        this.explain(tx, t, r.err);
        log.record({
          taskId: t.id,
          at: now,
          outcome: "unschedulable",
          nodeId: t.nodeId,
          message: r.err,
          passId,
        });
      }
    }
    for (const g of groups.values()) {
      // Oldest first, then by slot, so a batch fills slots in order.
      g.sort((a, b) => a.createdAt - b.createdAt || a.slot - b.slot || (a.id < b.id ? -1 : 1));
      const plan = planGroup(g, list, now, log);
      for (const t of g) {
        const info = plan.assigned.get(t.id);
        const passId = plan.passOf.get(t.id) ?? 0;
        if (info) {
          this.assign(tx, t, info.id, ASSIGNED_MESSAGE, now);
          log.record({
            taskId: t.id,
            at: now,
            outcome: "assigned",
            nodeId: info.id,
            message: ASSIGNED_MESSAGE,
            passId,
            rank: plan.ranks.get(t.id),
          });
        } else {
          const err = plan.unschedulable.get(t.id) ?? "no suitable node";
          this.explain(tx, t, err);
          log.record({ taskId: t.id, at: now, outcome: "unschedulable", nodeId: "", message: err, passId });
        }
      }
    }
    return () => {
      for (const id of taken) this.pending.add(id);
    };
  }

  /** SwarmKit's scheduler is one goroutine: a pass is one piece of work on one core. */
  protected override passCostMs(_actions: number, c: CostModel): number {
    const p = this.lastPass;
    return p.ran ? c.schedulerPassMs + c.schedulerNodeMs * p.nodes + c.schedulerTaskMs * p.tasks : 0;
  }

  private assign(tx: WriteTx, t: Task, nodeId: string, message: string, now: number): void {
    this.pending.delete(t.id);
    this.assignedTotal++;
    // A plain copy instead of an immer draft: a pass may write 70,000 of these, and the store
    // freezes what it applies anyway. Each task is written once per pass.
    tx.actions.push({
      op: "update",
      type: "task",
      object: {
        ...t,
        nodeId,
        updatedAt: now,
        status: { state: TaskState.ASSIGNED, timestamp: now, message },
      },
    });
  }

  private explain(tx: WriteTx, t: Task, err: string): void {
    if (t.status.err === err) return;
    tx.update("task", t.id, (d) => {
      d.status.err = err;
    });
  }

  private applyFailures(infos: Map<string, NodeInfo>, now: number): void {
    const keep = this.failures.filter((f) => now - f.at <= 5 * 60_000);
    this.failures.length = 0;
    this.failures.push(...keep);
    for (const f of keep) infos.get(f.nodeId)?.recordFailure(f.serviceId, f.specVersion, f.at);
  }
}
