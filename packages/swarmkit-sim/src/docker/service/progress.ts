// The progress display of `docker service create|update|scale|rollback` without --detach
// (cli/command/service/progress/progress.go): the CLI polls until as many up-to-date tasks run
// as the service has replicas (or every node runs one), then watches for the monitor period
// before it prints "verify: Service <id> converged". Here the command waits for the cluster
// meanwhile (a job: the host loop runs the simulation) and prints the final frame, as a
// terminal shows it when the command returns.
import { isJobMode, type Service, type Task, TaskState, taskStateName } from "../../api/types";
import { truncateId } from "../../cli/format/text";
import { forMs, type Job, until } from "../../cli/job";
import { isTaskDirty } from "../../manager/orchestrator/dirty";
import type { MemoryStore } from "../../manager/store/memory-store";
import { jobConvergence, type JobProgressState, newJobProgressState } from "./job-progress";
import { line, MAX_PROGRESS_BARS, truncError } from "./progress-bar";

/** How long a command waits for convergence before giving the prompt back. */
export const CONVERGE_LIMIT_MS = 180_000;

export interface Convergence {
  converged: boolean;
  /** A job: converged means complete (the CLI prints `job complete`, with no verification wait). */
  job?: boolean;
  /** The service is rolling back: the CLI says so on the overall line and empties the bars. */
  rollback: boolean;
  running: number;
  total: number;
  lines: string[];
  paused?: string;
}

/**
 * What the CLI's replicated progress updater keeps from one poll to the next: the bar row of
 * each slot (slots are mapped to rows 1..N in the order they are first seen, so a service whose
 * slots are 1 and 4 after a scale-down still shows rows 1/2 and 2/2), the text of each row,
 * and whether it has converged (then the rows stop changing).
 */
export interface ProgressState {
  replicas: number;
  rows: Map<number, number>;
  lines: string[];
  done: boolean;
  /** Set once a poll sees the rollback start, cleared by an update (progress.go). */
  rollback: boolean;
  /** A job's updater (job-progress.ts). */
  job: JobProgressState;
}

export function newProgressState(): ProgressState {
  return {
    replicas: -1,
    rows: new Map(),
    lines: [],
    done: false,
    rollback: false,
    job: newJobProgressState(),
  };
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

/** States the CLI ranks (new..rejected); it skips tasks in any other (remove, orphaned). */
const ranked = (state: TaskState) => state <= TaskState.REJECTED;

/**
 * The CLI's tasksBySlot (replicated) and tasksByNode (global): among the up-to-date tasks, per
 * slot or node the one with the lowest desired state, then the lowest observed state; tasks on
 * nodes that are down or gone are left out.
 */
function currentTasks<K>(store: MemoryStore, s: Service, keyOf: (t: Task) => K): Map<K, Task> {
  const out = new Map<K, Task>();
  for (const t of store.tasksByService(s.id)) {
    if (!ranked(t.desiredState) || !ranked(t.status.state)) continue;
    const key = keyOf(t);
    const prev = out.get(key);
    if (prev && prev.desiredState < t.desiredState) continue;
    if (prev && prev.desiredState === t.desiredState && prev.status.state <= t.status.state) continue;
    if (t.nodeId) {
      const node = store.get("node", t.nodeId);
      if (!node || node.status.state === "down") continue;
    }
    // Last, as it is the dearest check (the daemon filters first; the outcome is the same).
    if (t.specVersion > s.specVersion || !upToDate(t, s, store)) continue;
    out.set(key, t);
  }
  return out;
}

const bySlotKey = (t: Task) => t.slot;
const byNodeKey = (t: Task) => t.nodeId;

/**
 * One poll of the CLI's replicatedProgressUpdater: converged when as many tasks run as the
 * service has replicas, counted over the current tasks of every slot (not slots 1..N: a
 * scale-down keeps the slots that spread best, so 1 and 4 may be the two left).
 */
function replicated(store: MemoryStore, s: Service, replicas: number, st: ProgressState) {
  if (st.replicas !== replicas) {
    st.replicas = replicas;
    st.rows.clear();
    st.done = false;
    // Rows are drawn in order, blank until a task shows up in them (none past 20 replicas).
    st.lines =
      replicas <= MAX_PROGRESS_BARS
        ? Array.from({ length: replicas }, (_, i) => `${i + 1}/${replicas}:`)
        : [];
  }
  const bySlot = currentTasks(store, s, bySlotKey);
  if (st.done && [...bySlot.values()].some((t) => t.status.state !== TaskState.RUNNING)) st.done = false;
  let running = 0;
  // Go's map order is random; slots in ascending order keep the rows deterministic.
  for (const slot of [...bySlot.keys()].sort((a, b) => a - b)) {
    const t = bySlot.get(slot)!;
    let row = st.rows.get(slot);
    if (row === undefined) st.rows.set(slot, (row = st.rows.size + 1));
    if (t.desiredState <= TaskState.RUNNING && t.status.state === TaskState.RUNNING) running++;
    if (st.done || row > st.lines.length) continue;
    const id = `${row}/${replicas}`;
    if (t.status.err) st.lines[row - 1] = `${id}: ${truncError(t.status.err)}`;
    else if (t.desiredState <= TaskState.RUNNING && t.status.state <= TaskState.RUNNING)
      st.lines[row - 1] = line(id, taskStateName(t.status.state), st.rollback);
  }
  if (running === replicas) st.done = true;
  return { running, lines: [...st.lines] };
}

export function convergence(
  store: MemoryStore,
  serviceId: string,
  state: ProgressState = newProgressState(),
): Convergence {
  const s = store.get("service", serviceId);
  if (!s) return { converged: true, rollback: state.rollback, running: 0, total: 0, lines: [] };
  if (isJobMode(s.spec.mode)) {
    const j = jobConvergence(store, s, state.job);
    return { converged: j.converged, job: true, rollback: false, running: 0, total: 0, lines: j.lines };
  }
  if (s.updateStatus?.state === "updating") state.rollback = false;
  else if (s.updateStatus?.state === "rollback_started") state.rollback = true;
  let lines: string[] = [];
  let running = 0;
  let total: number;
  if (s.spec.mode.kind === "replicated") {
    total = s.spec.mode.replicas;
    ({ running, lines } = replicated(store, s, total, state));
  } else {
    // The CLI cannot know how many nodes qualify: the orchestrator gives each eligible node a
    // task at once, so the nodes with current tasks are the total.
    const tasks = currentTasks(store, s, byNodeKey);
    const keys = [...tasks.keys()].sort();
    total = keys.length;
    for (const nodeId of keys) {
      const t = tasks.get(nodeId)!;
      if (t.desiredState <= TaskState.RUNNING && t.status.state === TaskState.RUNNING) running++;
      if (total <= MAX_PROGRESS_BARS)
        lines.push(line(truncateId(nodeId), taskStateName(t.status.state), state.rollback));
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
  return {
    converged: running === total && !updating,
    rollback: state.rollback,
    running,
    total,
    lines,
    paused,
  };
}

/**
 * Waits until the service has converged and stayed so for the monitor period (5 s by
 * default), is paused, or the limit passes. Returns the text to print and the exit code.
 */
export function* waitConverged(
  now: () => number,
  store: () => MemoryStore | undefined,
  serviceId: string,
  limitMs = CONVERGE_LIMIT_MS,
): Job<{ text: string; code: number }> {
  const deadline = now() + limitMs;
  // One command's polls share what the CLI remembers between them (rows, convergence).
  const state = newProgressState();
  let c = convergence(store()!, serviceId, state);
  for (;;) {
    const st = store();
    if (!st) break;
    c = convergence(st, serviceId, state);
    if (c.paused) break;
    if (c.converged && c.job) break;
    if (c.converged) {
      const monitor = st.get("service", serviceId)?.spec.update.monitorMs ?? 5000;
      yield* forMs(Math.min(monitor, Math.max(0, deadline - now())));
      const again = convergence(store() ?? st, serviceId, state);
      if (again.converged || now() >= deadline) {
        c = again;
        break;
      }
      continue;
    }
    if (now() >= deadline) break;
    // Checked after every event while it waits, but worked out again only when the store has
    // changed (convergence reads nothing else): a poll costs a pass over the service's tasks,
    // and a 100,000-replica service has as many events as tasks.
    // (The predicate may be asked again without an event between: it answers as it did.)
    let seen = st.version;
    let store0 = st;
    let over = false;
    yield* until(
      () => {
        const x = store();
        if (!x) return true;
        if (x === store0 && x.version === seen) return over;
        store0 = x;
        seen = x.version;
        const y = convergence(x, serviceId, state);
        over = y.converged || !!y.paused;
        return over;
      },
      Math.max(1, deadline - now()),
    );
  }
  if (c.job) {
    if (c.converged) return { text: `${c.lines.join("\n")}\njob complete\n`, code: 0 };
    return {
      text: `${c.lines.join("\n")}\nOperation continuing in background.\nUse \`docker service ps ${truncateId(serviceId)}\` to check progress.\n`,
      code: 0,
    };
  }
  const counts = `${c.running} out of ${c.total} tasks`;
  const out = [`overall progress: ${c.rollback ? `rolling back update: ${counts}` : counts}`, ...c.lines];
  if (c.paused) return { text: `${out.join("\n")}\n`, code: -1 };
  if (c.converged) return { text: `${out.join("\n")}\nverify: Service ${serviceId} converged\n`, code: 0 };
  return {
    text: `${out.join("\n")}\nOperation continuing in background.\nUse \`docker service ps ${truncateId(serviceId)}\` to check progress.\n`,
    code: 0,
  };
}
