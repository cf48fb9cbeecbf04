// "You're gonna need a bigger manager": for manager sizes (cores, memory), how long scheduling a
// job of 1k, 10k, 70k, 100k tasks takes, the leader's CPU and memory meanwhile, and from how
// many nodes heartbeats start to be missed. The managers' work costs simulated CPU time
// (swarmkit-sim's cost model), so a small manager answers late and a large job holds a core.
//
// Two kinds of cell, each its own simulation (a sweep runs them in worker threads):
//   schedule    three managers of the size and `workers` workers; a service of `tasks`
//               replicas; the time from its creation until every task is assigned, the leader's
//               CPU over that time, its memory at the end, and nodes marked Down meanwhile.
//   heartbeats  one manager and `nodes` workers formed at the kernel's default size, then the
//               manager is stopped, given the size, and started again (a resize is a restart):
//               every node registers again at once, as after a leader change. Heartbeats are
//               missed when nodes go Down, or when answers wait longer than the agents' 5 s
//               deadline; also the leader's CPU then and at rest.
import {
  type BuiltSwarm,
  buildSwarm,
  ca,
  defaultServiceSpec,
  type Machine,
  type MemoryStore,
  serviceComponents,
  Sim,
  type SwarmNode,
  TaskState,
  WriteTx,
} from "@swarm-sim/swarmkit-sim";

const GB = 2 ** 30;
/** What the agents wait for an answer (SwarmKit's dispatcherRPCTimeout). */
export const AGENT_DEADLINE_MS = 5000;

export interface ManagerSize {
  cores: number;
  memoryGB: number;
}

export const DEFAULT_SIZES: readonly ManagerSize[] = [
  { cores: 1, memoryGB: 4 },
  { cores: 2, memoryGB: 8 },
  { cores: 4, memoryGB: 16 },
  { cores: 8, memoryGB: 32 },
];
export const DEFAULT_TASKS: readonly number[] = [1000, 10_000, 70_000, 100_000];
export const DEFAULT_NODES: readonly number[] = [1000, 2500, 5000, 10_000];
export const DEFAULT_WORKERS = 1000;

export type ManagerSizeCell =
  | ({ kind: "schedule"; tasks: number; workers: number; seed: number } & ManagerSize)
  | ({ kind: "heartbeats"; nodes: number; seed: number } & ManagerSize);

export interface ScheduleResult extends ManagerSize {
  kind: "schedule";
  tasks: number;
  workers: number;
  seed: number;
  /** Seconds from the service's creation until every task is assigned (null: not in 30 min). */
  scheduleSeconds: number | null;
  /** The leader's cores busy over that time (0..100). */
  cpuPercent: number;
  /** The leader's memory at the end, and its share of the machine's. */
  memoryBytes: number;
  memoryPercent: number;
  /** Nodes marked Down while it scheduled (a starved dispatcher). */
  nodesDown: number;
  traceHash: string;
}

export interface HeartbeatResult extends ManagerSize {
  kind: "heartbeats";
  nodes: number;
  seed: number;
  /** Nodes marked Down in the 3 minutes after the manager came back. */
  nodesDown: number;
  /** The longest an operation waited for a core then (heartbeats answered that late). */
  worstWaitMs: number;
  /** Seconds until every node was Ready again (null: not within the 3 minutes). */
  readySeconds: number | null;
  /** The leader's CPU while the nodes registered again, and at rest afterwards (0..100). */
  cpuPercentStorm: number;
  cpuPercentRest: number;
  missed: boolean;
  traceHash: string;
}

export type ManagerSizeResult = ScheduleResult | HeartbeatResult;

function sizeOf(m: Machine, cores: number, memoryGB: number): void {
  m.resize({ cores, memoryBytes: memoryGB * GB });
}

/** How often a watch asks whether its condition holds (the resolution of its elapsed time). */
const POLL_MS = 100;

/** Samples the leader's machine every second while `until` is false (at most `limitMs`). */
function watch(
  sim: Sim,
  m: Machine,
  store: () => MemoryStore | undefined,
  limitMs: number,
  until: () => boolean,
) {
  const down = new Set<string>();
  let worstWait = 0;
  const t0 = sim.now();
  const done0 = m.cpu.doneMs();
  const end = t0 + limitMs;
  let finished = until();
  while (!finished && sim.now() < end) {
    // `until` is asked every POLL_MS, not after every event: with thousands of sessions it
    // counts them, and the storm is millions of events.
    const sliceEnd = Math.min(sim.now() + 1000, end);
    while (!finished && sim.now() < sliceEnd) {
      sim.runFor(Math.min(POLL_MS, sliceEnd - sim.now()));
      finished = until();
    }
    worstWait = Math.max(worstWait, m.cpu.backlogMs());
    for (const n of store()?.values("node") ?? []) if (n.status.state === "down") down.add(n.id);
  }
  const elapsed = sim.now() - t0;
  return {
    finished,
    elapsedMs: elapsed,
    down: down.size,
    worstWaitMs: worstWait,
    cpuPercent: elapsed > 0 ? ((m.cpu.doneMs() - done0) / (m.cores * elapsed)) * 100 : 0,
  };
}

export function runScheduleCell(c: Extract<ManagerSizeCell, { kind: "schedule" }>): ScheduleResult {
  const sim = new Sim({ seed: `manager-size/schedule/${c.cores}/${c.tasks}/${c.seed}` });
  for (let i = 1; i <= 3; i++)
    sim.addMachine(`manager${i}`, { cores: c.cores, memoryBytes: c.memoryGB * GB });
  const swarm = buildSwarm(sim, {
    managers: 3,
    workers: c.workers,
    limitMs: 600_000,
    attach: { leaderComponents: () => serviceComponents() },
  });
  sim.runFor(10_000);
  const leader = swarm.leader()!;
  const store = () => swarm.leader()?.manager?.store;
  const spec = defaultServiceSpec("job", "busybox");
  spec.mode = { kind: "replicated", replicas: c.tasks };
  const tx = new WriteTx(leader.manager!.store, sim.now());
  tx.create("service", { id: ca.newId(sim.random.fork("experiment/ids")), spec, specVersion: 1 });
  leader.manager!.proposer.propose(tx.actions, () => {});
  let assigned = 0;
  const s = store()!;
  s.events.on("change", (e) => {
    if (e.type !== "task") return;
    const now = (e.object as { status: { state: number } }).status.state >= TaskState.ASSIGNED;
    const before = e.old
      ? (e.old as { status: { state: number } }).status.state >= TaskState.ASSIGNED
      : false;
    if (now && !before) assigned++;
  });
  const w = watch(sim, leader.machine, store, 1_800_000, () => assigned >= c.tasks);
  const memoryBytes = swarm.leader()?.manager?.memoryBytes() ?? 0;
  const r: ScheduleResult = {
    kind: "schedule",
    cores: c.cores,
    memoryGB: c.memoryGB,
    tasks: c.tasks,
    workers: c.workers,
    seed: c.seed,
    scheduleSeconds: w.finished ? Number((w.elapsedMs / 1000).toFixed(1)) : null,
    cpuPercent: Math.round(w.cpuPercent),
    memoryBytes,
    memoryPercent: Math.round((memoryBytes / leader.machine.memoryBytes) * 100),
    nodesDown: w.down,
    traceHash: "",
  };
  sim.trace.record("experiment.manager-size", { ...r });
  r.traceHash = sim.trace.hash();
  return r;
}

export function runHeartbeatCell(c: Extract<ManagerSizeCell, { kind: "heartbeats" }>): HeartbeatResult {
  const sim = new Sim({ seed: `manager-size/heartbeats/${c.cores}/${c.nodes}/${c.seed}` });
  const swarm = formHeartbeatSwarm(sim, c.nodes);
  const r = restartManagerAs(sim, swarm.managers[0], c);
  sim.trace.record("experiment.manager-size", { ...r });
  r.traceHash = sim.trace.hash();
  return r;
}

/** A swarm of one manager and `nodes` workers, formed and then 30 s at rest. */
export function formHeartbeatSwarm(sim: Sim, nodes: number): BuiltSwarm {
  const swarm = buildSwarm(sim, { managers: 1, workers: nodes, limitMs: 600_000 });
  sim.runFor(30_000);
  return swarm;
}

/**
 * The manager's machine stopped, resized (a VM given another size) and started again: every
 * node registers again. Watches the storm (3 minutes at most) and a minute at rest after it.
 * The result's traceHash is left empty for the caller to fill.
 */
export function restartManagerAs(
  sim: Sim,
  node: SwarmNode,
  c: { cores: number; memoryGB: number; nodes: number; seed: number },
): HeartbeatResult {
  const m = node.machine;
  m.stop();
  sizeOf(m, c.cores, c.memoryGB);
  m.start();
  const store = () => node.manager?.store;
  // Every node has a session with the new dispatcher again, and shows Ready.
  const allReady = () => {
    const s = store();
    if (!s || node.manager?.activeDispatcher?.sessionCount() !== c.nodes + 1) return false;
    for (const n of s.values("node")) if (n.status.state !== "ready") return false;
    return true;
  };
  const storm = watch(sim, m, store, 180_000, allReady);
  // What was still to come of the storm, then a minute at rest.
  const after = watch(sim, m, store, Math.max(0, 180_000 - storm.elapsedMs), () => false);
  const rest = watch(sim, m, store, 60_000, () => false);
  const down = storm.down + after.down;
  const worst = Math.max(storm.worstWaitMs, after.worstWaitMs, rest.worstWaitMs);
  return {
    kind: "heartbeats",
    cores: c.cores,
    memoryGB: c.memoryGB,
    nodes: c.nodes,
    seed: c.seed,
    nodesDown: down,
    worstWaitMs: Math.round(worst),
    readySeconds: storm.finished ? Number((storm.elapsedMs / 1000).toFixed(1)) : null,
    cpuPercentStorm: Math.round(storm.cpuPercent),
    cpuPercentRest: Math.round(rest.cpuPercent),
    missed: down > 0 || worst > AGENT_DEADLINE_MS || !storm.finished,
    traceHash: "",
  };
}

export function runManagerSizeCell(c: ManagerSizeCell): ManagerSizeResult {
  return c.kind === "schedule" ? runScheduleCell(c) : runHeartbeatCell(c);
}

export interface ManagerSizePlan {
  sizes: readonly ManagerSize[];
  tasks: readonly number[];
  nodes: readonly number[];
  workers: number;
  seeds: number;
}

export function managerSizeCells(p: ManagerSizePlan, firstSeed = 1): ManagerSizeCell[] {
  const out: ManagerSizeCell[] = [];
  for (let s = 0; s < p.seeds; s++)
    for (const size of p.sizes) {
      for (const tasks of p.tasks)
        out.push({ kind: "schedule", ...size, tasks, workers: p.workers, seed: firstSeed + s });
      for (const nodes of p.nodes) out.push({ kind: "heartbeats", ...size, nodes, seed: firstSeed + s });
    }
  return out;
}

export interface ManagerSizeRow extends ManagerSize {
  /** Median seconds to schedule each job size (null: not done within the limit). */
  schedule: { tasks: number; seconds: number | null; cpuPercent: number; nodesDown: number }[];
  /** Memory at the largest job, and its share of the manager's memory. */
  memoryBytes: number;
  memoryPercent: number;
  /** The smallest node count whose heartbeats were missed in any seed (null: none sampled). */
  missedFrom: number | null;
  heartbeats: {
    nodes: number;
    missed: boolean;
    worstWaitMs: number;
    nodesDown: number;
    cpuPercentStorm: number;
    cpuPercentRest: number;
  }[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

/** One row per manager size, over the seeds (medians; a miss in any seed counts). */
export function managerSizeRows(results: readonly ManagerSizeResult[]): ManagerSizeRow[] {
  const key = (r: ManagerSize) => `${r.cores}/${r.memoryGB}`;
  const sizes = new Map<string, ManagerSize>();
  for (const r of results) sizes.set(key(r), { cores: r.cores, memoryGB: r.memoryGB });
  return [...sizes.values()].map((size) => {
    const mine = results.filter((r) => key(r) === key(size));
    const sched = mine.filter((r): r is ScheduleResult => r.kind === "schedule");
    const beats = mine.filter((r): r is HeartbeatResult => r.kind === "heartbeats");
    const taskCounts = [...new Set(sched.map((r) => r.tasks))].sort((a, b) => a - b);
    const nodeCounts = [...new Set(beats.map((r) => r.nodes))].sort((a, b) => a - b);
    const schedule = taskCounts.map((tasks) => {
      const rs = sched.filter((r) => r.tasks === tasks);
      const done = rs.map((r) => r.scheduleSeconds).filter((x): x is number => x !== null);
      return {
        tasks,
        seconds: done.length === rs.length ? median(done) : null,
        cpuPercent: median(rs.map((r) => r.cpuPercent)),
        nodesDown: Math.max(...rs.map((r) => r.nodesDown)),
      };
    });
    const largest = sched.filter((r) => r.tasks === taskCounts.at(-1));
    const heartbeats = nodeCounts.map((nodes) => {
      const rs = beats.filter((r) => r.nodes === nodes);
      return {
        nodes,
        missed: rs.some((r) => r.missed),
        worstWaitMs: Math.max(...rs.map((r) => r.worstWaitMs)),
        nodesDown: Math.max(...rs.map((r) => r.nodesDown)),
        cpuPercentStorm: median(rs.map((r) => r.cpuPercentStorm)),
        cpuPercentRest: median(rs.map((r) => r.cpuPercentRest)),
      };
    });
    return {
      ...size,
      schedule,
      memoryBytes: largest.length ? median(largest.map((r) => r.memoryBytes)) : 0,
      memoryPercent: largest.length ? median(largest.map((r) => r.memoryPercent)) : 0,
      missedFrom: heartbeats.find((h) => h.missed)?.nodes ?? null,
      heartbeats,
    };
  });
}

/** The public figures the cost model is calibrated on, printed beside the table. */
export const PUBLIC_FIGURES: readonly string[] = [
  "SwarmKit PR #193 (scheduler benchmark, one core, 1,000 nodes): 1k tasks 0.19 s, 10k 1.8 s, 100k 22.6 s",
  "moby/swarmkit#2763: 1,000 tasks on 100 workers (3 managers) scheduled and started in under 2.5 s",
  "Swarm2k (Scaleway, 2016): 2,384 nodes, 3 managers, ~95,000 tasks; the managers moved from 16 GB to 64 GB machines",
  "Swarm3k (Sematext, 2016): a 4,700-node swarm formed with 3 managers",
  "Lecture: 1,000-10,000 nodes fine; large jobs (>70,000 containers) slow; >100 nodes: 16 GB, 4 CPUs or more",
];
