// Checkers for the orchestration invariants (issue 5), over a store: each returns a list of
// violations (empty when the property holds), so tests can show them failing on a broken run.
// The services property tests and the swarm fuzzer (@swarm-sim/scenarios fuzz) both use them.
import type { MemoryStore } from "../store/memory-store";
import { type Node, type Service, TaskState } from "../../api/types";
import { constraintsMatch, parseConstraints } from "../constraint/constraint";

const wantedRunning = (t: { status: { state: number }; desiredState: number }) =>
  t.status.state === TaskState.RUNNING && t.desiredState <= TaskState.RUNNING;
const up = (n: Node | undefined) => !!n && n.status.state !== "down";

/**
 * A replicated service never runs more than replicas, plus, for start-first updates, one batch
 * (parallelism) per older version still running. One batch for one update; but an update that
 * supersedes another before it finished leaves that one's started tasks running beside the old
 * ones until its own batch replaces both (SwarmKit's updater shuts a slot's old tasks down only
 * once the updated task runs, and a superseded updater is cancelled without undoing its tasks).
 */
export function checkReplicaBound(store: MemoryStore, settling?: (s: Service) => boolean): string[] {
  const out: string[] = [];
  for (const s of store.services()) {
    if (s.spec.mode.kind !== "replicated") continue;
    // A service just scaled down still runs its former replicas until the orchestrator's
    // shutdowns commit (SwarmKit's too: it acts once it sees the new spec); the caller says
    // which services are in that window.
    if (settling?.(s)) continue;
    const batch =
      s.spec.update.order === "start-first" || s.spec.rollback.order === "start-first"
        ? Math.max(s.spec.update.parallelism, s.spec.rollback.parallelism, 1)
        : 0;
    const running = store
      .tasksByService(s.id)
      .filter((t) => wantedRunning(t) && up(store.get("node", t.nodeId)));
    const olderVersions = new Set(
      running.filter((t) => t.specVersion !== s.specVersion).map((t) => t.specVersion),
    ).size;
    const overlap = batch * Math.max(1, olderVersions);
    if (running.length > s.spec.mode.replicas + overlap)
      out.push(`${s.spec.name}: ${running.length} running > ${s.spec.mode.replicas} + ${overlap}`);
  }
  return out;
}

function eligible(store: MemoryStore, constraints: string[]): Node[] {
  const p = parseConstraints(constraints);
  return store
    .nodes()
    .filter(
      (n) =>
        n.status.state === "ready" &&
        n.spec.availability === "active" &&
        p.ok &&
        constraintsMatch(p.constraints, n),
    );
}

/** Observed state equals desired state: replicas running, one task per eligible node, no update in flight. */
export function checkConverged(store: MemoryStore): string[] {
  const out: string[] = [];
  for (const s of store.services()) {
    const tasks = store
      .tasksByService(s.id)
      .filter((t) => wantedRunning(t) && up(store.get("node", t.nodeId)));
    if (s.spec.mode.kind === "replicated") {
      if (tasks.length !== s.spec.mode.replicas)
        out.push(`${s.spec.name}: ${tasks.length}/${s.spec.mode.replicas} running`);
    } else {
      const nodes = eligible(store, s.spec.task.placement.constraints);
      if (tasks.length !== nodes.length)
        out.push(`${s.spec.name}: ${tasks.length} running on ${nodes.length} eligible nodes`);
    }
    const u = s.updateStatus?.state;
    if (u === "updating" || u === "rollback_started") out.push(`${s.spec.name}: update still ${u}`);
  }
  return out;
}

/** A global service runs exactly one task on each eligible node (and none elsewhere). */
export function checkGlobalOnePerNode(store: MemoryStore): string[] {
  const out: string[] = [];
  for (const s of store.services()) {
    if (s.spec.mode.kind !== "global") continue;
    const per = new Map<string, number>();
    for (const t of store.tasksByService(s.id))
      if (wantedRunning(t)) per.set(t.nodeId, (per.get(t.nodeId) ?? 0) + 1);
    for (const n of eligible(store, s.spec.task.placement.constraints))
      if ((per.get(n.id) ?? 0) !== 1) out.push(`${s.spec.name}: ${per.get(n.id) ?? 0} tasks on ${n.id}`);
    for (const [nodeId, k] of per) if (k > 1) out.push(`${s.spec.name}: ${k} tasks on ${nodeId}`);
  }
  return out;
}

/** Once reconciliation settles, no task runs on a drained node. */
export function checkNoneOnDrained(store: MemoryStore): string[] {
  const out: string[] = [];
  for (const n of store.nodes()) {
    if (n.spec.availability !== "drain") continue;
    const running = store.tasksByNode(n.id).filter((t) => t.status.state === TaskState.RUNNING);
    if (running.length) out.push(`${running.length} tasks still running on drained ${n.id}`);
  }
  return out;
}
