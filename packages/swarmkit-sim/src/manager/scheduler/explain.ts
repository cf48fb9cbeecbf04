// "Why this node": a task's scheduling decision as plain, JSON-able data, for the lab's
// `explain` command, the library API and a web page. Per candidate node, each filter's verdict
// in SwarmKit's order (pass, fail with SwarmKit's explanation text and what the filter saw on
// that node, not reached after an earlier failure, or not applicable to the task), and how the
// chosen node ranked against the runner-up. Tasks are named as `docker service ps` names
// them: a task ID or unique prefix, `service.slot`, or `service.nodeID`.
import { type Node, type Task, TaskState, taskStateName } from "../../api/types";
import type { MemoryStore } from "../store/memory-store";
import type { DecisionLog, Outcome, PassRecord, RankRecord } from "./decisions";
import { FILTER_NAMES, type FilterDetail, Pipeline } from "./filters";

export type Verdict = "pass" | "fail" | "not reached" | "not applicable";

export interface FilterVerdict {
  filter: string;
  verdict: Verdict;
  /** SwarmKit's Explain text for this node, when it failed. */
  explanation?: string;
  /** What the filter saw on the node, in words, when it failed. */
  reason?: string;
  detail?: FilterDetail;
}

export interface CandidateVerdict {
  nodeId: string;
  hostname: string;
  /** chosen: the task went there; eligible: passed every filter; filtered out: failed one. */
  result: "chosen" | "eligible" | "filtered out";
  verdicts: FilterVerdict[];
}

export interface TaskExplanation {
  task: { id: string; name: string; serviceId: string; service: string; slot: number; nodeId: string };
  outcome: Outcome;
  /** When the scheduler decided (simulated ms). */
  decidedAt: number;
  /** The node the task got (or, preassigned and refused, the one it was bound to). */
  node?: { id: string; hostname: string };
  /** The status message it wrote, or Status.Err. */
  message: string;
  /** The seven filters in SwarmKit's order, and whether each applied to this task. */
  filters: { name: string; enabled: boolean }[];
  /** Every node the pipeline looked at, as it was then (absent once the pass is no longer kept). */
  candidates?: CandidateVerdict[];
  ranking?: RankRecord & { rules: string[] };
  /** Why something is missing (no decision kept, candidates dropped from the bounded log). */
  note?: string;
}

/** `docker service ps`'s name for a task: `<service>.<slot>` or `<service>.<node ID>`. */
export function taskDisplayName(t: Task): string {
  return t.slot > 0 ? `${t.serviceName}.${t.slot}` : `${t.serviceName}.${t.nodeId}`;
}

/**
 * The task a reference names: a full task ID, a unique ID prefix, or a `docker service ps`
 * name (the newest task of that name, as `service ps` lists it first). An error text otherwise.
 */
export function resolveTask(store: MemoryStore, ref: string): Task | string {
  const byId = store.get("task", ref);
  if (byId) return byId;
  const tasks = [...store.values("task")];
  const named = tasks.filter((t) => taskDisplayName(t) === ref);
  if (named.length > 0) return named.reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
  const prefixed = tasks.filter((t) => ref.length > 0 && t.id.startsWith(ref));
  if (prefixed.length === 1) return prefixed[0];
  if (prefixed.length > 1) return `task ${ref} is ambiguous (${prefixed.length} matches found)`;
  return `no such task: ${ref}`;
}

const GiB = 1024 ** 3;
const mem = (b: number) => (b >= GiB ? `${(b / GiB).toFixed(2)} GiB` : `${(b / 1024 ** 2).toFixed(0)} MiB`);
const cpus = (n: number) => `${+(n / 1e9).toFixed(3)}`;

/** A filter's detail in words. */
function reasonOf(filter: string, d: FilterDetail): string {
  switch (filter) {
    case "ReadyFilter":
      return d.status !== "ready"
        ? `the node is ${d.status}`
        : `the node's availability is ${d.availability}`;
    case "ResourceFilter": {
      const need: string[] = [];
      const have: string[] = [];
      if (+d.neededNanoCPUs > 0) {
        need.push(`${cpus(+d.neededNanoCPUs)} CPUs`);
        have.push(`${cpus(+d.availableNanoCPUs)} CPUs`);
      }
      if (+d.neededMemoryBytes > 0) {
        need.push(`${mem(+d.neededMemoryBytes)} of memory`);
        have.push(mem(+d.availableMemoryBytes));
      }
      return `the task reserves ${need.join(" and ")}; the node has ${have.join(" and ")} unreserved`;
    }
    case "ConstraintFilter":
      return d.actual === ""
        ? `${d.constraint} is not satisfied: the node has no value for it`
        : `${d.constraint} is not satisfied: the node has "${d.actual}"`;
    case "HostPortFilter":
      return `host port ${d.port} is already in use`;
    case "MaxReplicasFilter":
      return `${d.tasks} tasks of the service on the node already (max ${d.max} per node)`;
    default:
      return "";
  }
}

function candidates(pass: PassRecord, task: Task, chosen: string): CandidateVerdict[] {
  const explainers = new Pipeline();
  explainers.setTask(task);
  const enabled = explainers.enabled();
  return pass.nodes.map((node: Node, i) => {
    const failedAt = pass.failedAt[i];
    const verdicts: FilterVerdict[] = FILTER_NAMES.map((name) => {
      const k = pass.filters.indexOf(name);
      if (k < 0) return { filter: name, verdict: "not applicable" };
      if (failedAt < 0 || k < failedAt) return { filter: name, verdict: "pass" };
      if (k > failedAt) return { filter: name, verdict: "not reached" };
      const detail = pass.details.get(i) ?? {};
      return {
        filter: name,
        verdict: "fail",
        explanation: enabled.find((f) => f.name === name)?.explain(1),
        reason: reasonOf(name, detail),
        detail,
      };
    });
    return {
      nodeId: node.id,
      hostname: node.description?.hostname ?? "",
      result: failedAt >= 0 ? "filtered out" : node.id === chosen ? "chosen" : "eligible",
      verdicts,
    };
  });
}

/** SwarmKit's nodeLess as sentences for this choice. */
function rules(r: RankRecord, spread: readonly string[], hostname: (id: string) => string): string[] {
  const out: string[] = [];
  for (const [i, d] of spread.entries())
    out.push(`spread over ${d}: the branch "${r.branch[i]}" held the fewest tasks of the service`);
  out.push(
    r.recentFailures >= 5
      ? `the node had ${r.recentFailures} recent failures of this service (5 or more put a node last)`
      : "nodes with 5 or more recent failures of this service come last: the node had " +
          `${r.recentFailures}`,
  );
  out.push(`fewest tasks of the service: the node had ${r.serviceTasks}`);
  out.push(`then fewest tasks in total: the node had ${r.activeTasks}`);
  if (r.runnerUp)
    out.push(
      `runner-up ${hostname(r.runnerUp.nodeId) || r.runnerUp.nodeId}: ${r.runnerUp.serviceTasks} of the service, ${r.runnerUp.activeTasks} in total` +
        (r.runnerUp.serviceTasks === r.serviceTasks && r.runnerUp.activeTasks === r.activeTasks
          ? " (a tie, broken by node ID)"
          : ""),
    );
  return out;
}

/**
 * The explanation of a task's last scheduling decision, from the decision logs of the
 * managers (the most recent decision among them).
 */
export function explainTask(store: MemoryStore, logs: readonly DecisionLog[], task: Task): TaskExplanation {
  const base = {
    task: {
      id: task.id,
      name: taskDisplayName(task),
      serviceId: task.serviceId,
      service: task.serviceName,
      slot: task.slot,
      nodeId: task.nodeId,
    },
  };
  let found: { log: DecisionLog; d: NonNullable<ReturnType<DecisionLog["decision"]>> } | undefined;
  for (const log of logs) {
    const d = log.decision(task.id);
    if (d && (!found || d.at > found.d.at)) found = { log, d };
  }
  const hostname = (id: string) => store.get("node", id)?.description?.hostname ?? "";
  if (!found) {
    return {
      ...base,
      outcome: task.nodeId ? "assigned" : "unschedulable",
      decidedAt: -1,
      message: task.status.err ?? task.status.message,
      filters: FILTER_NAMES.map((name) => ({ name, enabled: false })),
      note:
        task.status.state < TaskState.PENDING
          ? `the task is ${taskStateName(task.status.state)}: the scheduler has not seen it yet`
          : "no scheduling decision is kept for this task (the log keeps the last ones of each manager)",
    };
  }
  const { log, d } = found;
  const pass = log.pass(d.passId);
  const passTask = log.passTask(d.passId) ?? task;
  const chosen = d.outcome === "unschedulable" ? "" : d.nodeId;
  return {
    ...base,
    outcome: d.outcome,
    decidedAt: d.at,
    ...(d.nodeId ? { node: { id: d.nodeId, hostname: hostname(d.nodeId) } } : {}),
    message: d.message,
    filters: FILTER_NAMES.map((name) => ({ name, enabled: pass ? pass.filters.includes(name) : false })),
    ...(pass
      ? { candidates: candidates(pass, passTask, chosen) }
      : { note: "the candidates of this decision are no longer kept (the log keeps the last passes)" }),
    ...(d.rank ? { ranking: { ...d.rank, rules: rules(d.rank, pass?.spread ?? [], hostname) } } : {}),
  };
}
