// The progress display of `docker service create|update|scale|rollback` without --detach
// (cli/command/service/progress/progress.go): the CLI polls until every slot (or node) runs
// a task of the current spec, then watches for the monitor period before it prints
// "verify: Service <id> converged". Here the command runs the simulation meanwhile and prints
// the final frame, as a terminal shows it when the command returns.
import { type Service, type Task, TaskState, taskStateName } from "../../api/types";
import { truncateId } from "../../cli/format/text";
import type { Sim } from "../../kernel/sim";
import { isTaskDirty } from "../../manager/orchestrator/dirty";
import type { MemoryStore } from "../../manager/store/memory-store";

/** The CLI's numbered states: a running task fills the bar. */
const NUMBERED: Record<string, number> = {
  new: 1,
  allocated: 2,
  pending: 3,
  assigned: 4,
  accepted: 5,
  preparing: 6,
  ready: 7,
  starting: 8,
  running: 9,
};
const LONGEST_STATE = "preparing".length;
const BAR = 50;
/** How long a command waits for convergence before giving the prompt back. */
export const CONVERGE_LIMIT_MS = 180_000;

function bar(state: string): string {
  const n = NUMBERED[state] ?? 0;
  const filled = Math.min(BAR, Math.floor(((n / 9) * 100) / 2));
  return `[${"=".repeat(filled)}>${" ".repeat(BAR - filled)}]`;
}

function line(id: string, state: string): string {
  return `${id}: ${state.padEnd(LONGEST_STATE)} ${bar(state)}`;
}

/** The newest runnable task of each slot (node for global) that matches the current spec. */
function current(store: MemoryStore, s: Service): Map<string, Task> {
  const out = new Map<string, Task>();
  for (const t of store.tasksByService(s.id)) {
    if (t.desiredState > TaskState.RUNNING || t.specVersion > s.specVersion) continue;
    if (store.get("node", t.nodeId)?.status.state === "down") continue;
    const key = t.slot > 0 ? `${t.slot}` : t.nodeId;
    const prev = out.get(key);
    if (!prev || t.createdAt > prev.createdAt) out.set(key, t);
  }
  return out;
}

export interface Convergence {
  converged: boolean;
  running: number;
  total: number;
  lines: string[];
  paused?: string;
}

/**
 * Is a running task one of the service's current spec? Tasks of the current version are; so
 * are older ones whose task spec is unchanged (a scale bumps the version but replaces no
 * task), or `docker service scale` would wait for tasks the orchestrator keeps as they are.
 */
function upToDate(t: Task, s: Service, store: MemoryStore): boolean {
  if (t.specVersion === s.specVersion) return true;
  return !isTaskDirty(t, s, store.get("node", t.nodeId));
}

export function convergence(store: MemoryStore, serviceId: string): Convergence {
  const s = store.get("service", serviceId);
  if (!s) return { converged: true, running: 0, total: 0, lines: [] };
  const tasks = current(store, s);
  const lines: string[] = [];
  let running = 0;
  let total: number;
  if (s.spec.mode.kind === "replicated") {
    total = s.spec.mode.replicas;
    for (let slot = 1; slot <= total; slot++) {
      const t = tasks.get(`${slot}`);
      const state = t ? taskStateName(t.status.state) : "new";
      if (t && t.status.state === TaskState.RUNNING && upToDate(t, s, store)) running++;
      if (total <= 100) lines.push(line(`${slot}/${total}`, state));
    }
  } else {
    const keys = [...tasks.keys()].sort();
    total = keys.length;
    for (const nodeId of keys) {
      const t = tasks.get(nodeId)!;
      if (t.status.state === TaskState.RUNNING && upToDate(t, s, store)) running++;
      lines.push(line(truncateId(nodeId), taskStateName(t.status.state)));
    }
  }
  const u = s.updateStatus;
  const updating = u?.state === "updating" || u?.state === "rollback_started";
  const paused =
    u?.state === "paused"
      ? `service update paused: ${u.message}`
      : u?.state === "rollback_paused"
        ? `service rollback paused: ${u.message}`
        : undefined;
  return { converged: running === total && !updating, running, total, lines, paused };
}

/**
 * Runs the simulation until the service has converged and stayed so for the monitor period
 * (5 s by default), is paused, or the limit passes. Returns the text to print and the exit code.
 */
export function waitConverged(
  sim: Sim,
  store: () => MemoryStore | undefined,
  serviceId: string,
  limitMs = CONVERGE_LIMIT_MS,
): { text: string; code: number } {
  const deadline = sim.now() + limitMs;
  let c = convergence(store()!, serviceId);
  for (;;) {
    const st = store();
    if (!st) break;
    c = convergence(st, serviceId);
    if (c.paused) break;
    if (c.converged) {
      const monitor = st.get("service", serviceId)?.spec.update.monitorMs ?? 5000;
      sim.runFor(Math.min(monitor, Math.max(0, deadline - sim.now())));
      const again = convergence(store() ?? st, serviceId);
      if (again.converged || sim.now() >= deadline) {
        c = again;
        break;
      }
      continue;
    }
    if (sim.now() >= deadline) break;
    sim.runUntil(
      () => {
        const x = store();
        if (!x) return true;
        const y = convergence(x, serviceId);
        return y.converged || !!y.paused;
      },
      Math.max(1, deadline - sim.now()),
    );
  }
  const out = [`overall progress: ${c.running} out of ${c.total} tasks`, ...c.lines];
  if (c.paused) return { text: `${out.join("\n")}\n`, code: -1 };
  if (c.converged) return { text: `${out.join("\n")}\nverify: Service ${serviceId} converged\n`, code: 0 };
  return {
    text: `${out.join("\n")}\nOperation continuing in background.\nUse \`docker service ps ${truncateId(serviceId)}\` to check progress.\n`,
    code: 0,
  };
}
