// Checks every manager's replicated store as it commits (on the production path: the store's
// own commit events), for as long as that manager runs:
//   - a task's observed state only moves forward (SwarmKit's dispatcher and agent never move a
//     task's status back; api/types.go TaskState is ordered);
//   - a task is never placed on a node that had been drained or down for longer than the
//     scheduler's reaction time when the assignment committed (the scheduler decides on its
//     own view and commits later, so a drain committed just before may race a decision: a
//     grace, SwarmKit's scheduler commits its batch at most a few hundred ms after deciding);
//   - coverage: updates rolled back, tasks assigned;
// and notes when each label value was first applied (what settles writes of unknown outcome).
import { type api, type Manager, type StoreEvent, taskStateName } from "@swarm-sim/swarmkit-sim";
import type { Coverage } from "./coverage";

/** How long a node must have been drained or down before a task placed on it is a violation. */
export const PLACEMENT_GRACE_MS = 2_000;
/**
 * How long after a scale-down is first applied a service may still run its former replicas:
 * the leader's orchestrator shuts the excess down once it sees the new spec, and its write
 * commits one Raft round trip later (link faults delay each message by up to 2 s each way).
 */
export const SCALE_DOWN_GRACE_MS = 5_000;

export class StoreWatch {
  readonly violations: string[] = [];
  /** When each label value (values are unique) was first in an applied node object, on any manager. */
  readonly firstApplied = new Map<string, number>();
  /** Per service: the spec version of its last scale-down and when a manager first applied it. */
  private readonly scaledDown = new Map<string, { specVersion: number; at: number }>();
  private readonly watched = new WeakSet<Manager>();
  /** Per store: when each node last became unavailable (drained or down), simulated ms. */
  private readonly unavailableSince = new WeakMap<Manager, Map<string, number>>();

  constructor(
    private readonly now: () => number,
    private readonly coverage: Coverage,
  ) {}

  /** Starts watching a manager's store (idempotent). */
  watch(name: string, m: Manager): void {
    if (this.watched.has(m)) return;
    this.watched.add(m);
    const since = new Map<string, number>();
    this.unavailableSince.set(m, since);
    m.store.events.on("commit", ({ events }) => this.onCommit(name, m, since, events));
  }

  private onCommit(name: string, m: Manager, since: Map<string, number>, events: StoreEvent[]): void {
    const now = this.now();
    for (const e of events) {
      if (e.type === "node") {
        const n = e.object as api.Node;
        const unavailable =
          e.op !== "delete" && (n.spec.availability === "drain" || n.status.state === "down");
        for (const [k, v] of Object.entries(n.spec.labels))
          if (!this.firstApplied.has(`${k}=${v}`)) this.firstApplied.set(`${k}=${v}`, now);
        if (!unavailable) since.delete(n.id);
        else if (!since.has(n.id)) since.set(n.id, now);
      } else if (e.type === "task" && e.op !== "delete") {
        const t = e.object as api.Task;
        const old = e.old as api.Task | undefined;
        if (old && t.status.state < old.status.state)
          this.fail(
            `${name}: task ${t.id} moved back from ${taskStateName(old.status.state)} to ${taskStateName(t.status.state)}`,
          );
        if (t.nodeId && !old?.nodeId) {
          this.coverage.hit("taskAssigned");
          const node = m.store.get("node", t.nodeId);
          const from = since.get(t.nodeId);
          if (!node) this.fail(`${name}: task ${t.id} placed on node ${t.nodeId}, which does not exist`);
          else if (from !== undefined && now - from > PLACEMENT_GRACE_MS)
            this.fail(
              `${name}: task ${t.id} placed on node ${node.description?.hostname ?? t.nodeId} (${node.spec.availability}, ${node.status.state} since ${from} ms)`,
            );
        }
      } else if (e.type === "service" && e.op === "update") {
        const s = e.object as api.Service;
        const old = e.old as api.Service | undefined;
        const replicas = (x: api.Service | undefined) =>
          x?.spec.mode.kind === "replicated" ? x.spec.mode.replicas : Number.POSITIVE_INFINITY;
        if (replicas(s) < replicas(old) && this.scaledDown.get(s.id)?.specVersion !== s.specVersion)
          this.scaledDown.set(s.id, { specVersion: s.specVersion, at: now });
        if (
          s.updateStatus?.state === "rollback_completed" &&
          old?.updateStatus?.state !== "rollback_completed"
        )
          this.coverage.hit("updateRolledBack");
      }
    }
  }

  /** Was the service scaled down less than SCALE_DOWN_GRACE_MS ago (the replica bound waits)? */
  scalingDown(serviceId: string): boolean {
    const d = this.scaledDown.get(serviceId);
    return d !== undefined && this.now() - d.at < SCALE_DOWN_GRACE_MS;
  }

  private fail(msg: string): void {
    if (this.violations.length < 20) this.violations.push(msg);
  }
}
