// The progress display of a job (cli/command/service/progress/progress.go, the replicated and
// global job updaters): `job progress: C out of T complete` with a bar, for a replicated job
// `active tasks: A out of N tasks` (N: the lesser of MaxConcurrent and what is left to
// complete), then one row per slot (`1/T`, 0-based slots shown from 1) or per node, with the
// task's state and a bar that a completed task fills. Only the current iteration's tasks count.
// A job has converged when every task it needs has completed: the CLI then prints
// `job complete` and returns, without the services' verification wait.
import { type Service, type Task, TaskState, taskStateName } from "../../api/types";
import type { MemoryStore } from "../../manager/store/memory-store";
import { LONGEST_STATE, MAX_PROGRESS_BARS, NUMBERED, progressBar, truncError } from "./progress-bar";

/** maxJobProgress: a job task's bar is full when it completes (state 10). */
const MAX_JOB_PROGRESS = NUMBERED.complete;

/** What the CLI's job updater keeps between polls. */
export interface JobProgressState {
  /** Rows written once (replicated: one per slot; global: the nodes of the first poll). */
  initialized: boolean;
  /** A global job's node set, fixed at its first poll with tasks. */
  nodes: string[];
}

export function newJobProgressState(): JobProgressState {
  return { initialized: false, nodes: [] };
}

export interface JobConvergence {
  converged: boolean;
  lines: string[];
}

/** The tasks of the job's current iteration the CLI ranks (states it numbers). */
function iterationTasks(store: MemoryStore, s: Service): Task[] {
  const iteration = s.jobStatus?.jobIteration ?? 0;
  return store
    .tasksByService(s.id)
    .filter(
      (t) =>
        t.jobIteration === iteration &&
        NUMBERED[taskStateName(t.desiredState)] !== undefined &&
        NUMBERED[taskStateName(t.status.state)] !== undefined,
    );
}

/** Per key, the task with the lowest observed state (older ones before their restarts). */
function lowestByKey<K>(tasks: readonly Task[], key: (t: Task) => K): Map<K, Task> {
  const out = new Map<K, Task>();
  for (const t of tasks) {
    const prev = out.get(key(t));
    if (!prev || prev.status.state > t.status.state) out.set(key(t), t);
  }
  return out;
}

function taskRow(id: string, t: Task): string {
  if (t.status.err) return `${id}: ${truncError(t.status.err)}`;
  const state = taskStateName(t.status.state);
  return `${id}: ${state.padEnd(LONGEST_STATE)} ${progressBar(NUMBERED[state] ?? 0, MAX_JOB_PROGRESS)}`;
}

function overall(completed: number, total: number): string {
  const text = `job progress: ${String(completed).padStart(String(total).length)} out of ${total} complete`;
  // jsonmessage draws no bar for a progress with nothing to count.
  return total > 0 ? `${text} ${progressBar(completed, total)}` : text;
}

function replicatedJob(
  store: MemoryStore,
  s: Service,
  mode: { maxConcurrent: number; totalCompletions: number },
): JobConvergence {
  const total = mode.totalCompletions;
  const bySlot = lowestByKey(iterationTasks(store, s), (t) => t.slot);
  const rows =
    total <= MAX_PROGRESS_BARS ? Array.from({ length: total }, (_, i) => `${i + 1}/${total}:  `) : [];
  let active = 0;
  let completed = 0;
  // The CLI walks slots 0 .. (number of slots seen - 1).
  for (let slot = 0; slot < bySlot.size; slot++) {
    const t = bySlot.get(slot);
    if (!t) continue;
    if (slot < rows.length) rows[slot] = taskRow(`${slot + 1}/${total}`, t);
    if (t.status.state < TaskState.COMPLETE) active++;
    if (t.status.state === TaskState.COMPLETE) completed++;
  }
  const digits = String(mode.maxConcurrent).length;
  const desired = Math.min(total - completed, mode.maxConcurrent);
  return {
    converged: completed === total,
    lines: [
      overall(completed, total),
      `active tasks: ${String(active).padStart(digits)} out of ${String(desired).padStart(digits)} tasks`,
      ...rows,
    ],
  };
}

function globalJob(
  store: MemoryStore,
  s: Service,
  st: JobProgressState,
  activeNodes: number,
): JobConvergence {
  const tasks = iterationTasks(store, s);
  if (!st.initialized) {
    if (tasks.length === 0 && activeNodes > 0)
      return { converged: false, lines: ["job progress: waiting for tasks"] };
    st.nodes = [...new Set(tasks.map((t) => t.nodeId))];
    st.initialized = true;
  }
  const total = st.nodes.length;
  const byNode = lowestByKey(
    tasks.filter((t) => st.nodes.includes(t.nodeId)),
    (t) => t.nodeId,
  );
  let complete = 0;
  const rows: string[] = [];
  // Go's map order is random; node IDs in order keep the rows deterministic.
  for (const nodeId of [...byNode.keys()].sort()) {
    const t = byNode.get(nodeId)!;
    if (total <= MAX_PROGRESS_BARS) rows.push(taskRow(nodeId, t));
    if (t.status.state === TaskState.COMPLETE) complete++;
  }
  return { converged: complete === total, lines: [overall(complete, total), ...rows] };
}

/** One poll of the job's progress updater. */
export function jobConvergence(store: MemoryStore, s: Service, st: JobProgressState): JobConvergence {
  if (s.spec.mode.kind === "replicated-job") return replicatedJob(store, s, s.spec.mode);
  const activeNodes = store.nodes().filter((n) => n.status.state !== "down").length;
  return globalJob(store, s, st, activeNodes);
}
