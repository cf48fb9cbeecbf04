// "Nodes know which tasks should be running, and will start or stop containers accordingly",
// and the declarative model: "if a task is interrupted, we can figure out what's missing and
// do only what's necessary". A replicated service of 4 tasks on 3 workers (node1, the manager,
// takes none), watched with the commands a user has: docker service ps, node ls, ps.
import type { Scenario } from "../scenario";
import { type Checks, checkedResult } from "./checks";
import { LabSession, parseNodeLs } from "./lab-steps";
import { parseServicePs, type ServicePsRow, splitTables } from "./tables";

const WORKERS = ["node2", "node3", "node4"];
const SECOND = 1000;

/** node1 leads; node2..node4 are workers running `web`, 4 replicas; returns when all run. */
function startWeb(seed: number): LabSession {
  const s = new LabSession({ seed, services: true });
  s.must("docker swarm init");
  for (const n of WORKERS) s.addNode(n, "worker");
  s.must("docker service create --detach --name web --replicas 4 --constraint node.role==worker nginx");
  s.run("sleep 15");
  return s;
}

/** The tasks that should run now (not the history rows). */
function current(rows: ServicePsRow[]): ServicePsRow[] {
  return rows.filter((r) => !r.history);
}

/** The worker running most of web's tasks (the first by name on a tie). */
function busiestWorker(rows: ServicePsRow[]): string {
  const count = (n: string) => current(rows).filter((r) => r.node === n).length;
  return WORKERS.reduce((best, n) => (count(n) > count(best) ? n : best));
}

function containersOn(s: LabSession, node: string): number {
  return s.run(`docker exec ${node} docker ps -q`).stdout.split("\n").filter(Boolean).length;
}

// ---------------------------------------------------------------- a worker crashes

export interface NodeFailureRun {
  victim: string;
  before: ServicePsRow[];
  after: ServicePsRow[];
  /** Simulated ms from `docker kill` to the first `docker node ls` showing the node Down. */
  downAfterMs: number | null;
  /** ... to the first `docker service ps` with 4 tasks Running, none on the dead node. */
  restoredAfterMs: number | null;
  replicas: string;
  traceHash: string;
}

/** `crash: false` leaves the worker alone: a broken run for tests, in which nothing moves. */
export function runNodeFailure(seed: number, opts: { crash?: boolean } = {}): NodeFailureRun {
  const s = startWeb(seed);
  const sim = s.lab.sim;
  const before = parseServicePs(s.must("docker service ps web").stdout);
  const victim = busiestWorker(before);
  if (opts.crash !== false) s.must(`docker kill ${victim}`);
  const crashAt = sim.now();
  let downAfterMs: number | null = null;
  let restoredAfterMs: number | null = null;
  // One look a second (each command is a one-second step), for at most a minute.
  while (sim.now() - crashAt < 60 * SECOND && restoredAfterMs === null) {
    const [ls, ps] = splitTables(s.run("docker node ls; docker service ps web").stdout);
    const victimRow = parseNodeLs(ls ?? "").find((n) => n.hostname === victim);
    if (downAfterMs === null && victimRow?.status === "Down") downAfterMs = sim.now() - crashAt;
    const running = current(parseServicePs(ps ?? "")).filter(
      (t) => t.currentState.startsWith("Running") && t.node !== victim,
    );
    if (running.length === 4) restoredAfterMs = sim.now() - crashAt;
  }
  const after = parseServicePs(s.run("docker service ps web").stdout);
  const replicas = /web\s+replicated\s+(\S+)/.exec(s.run("docker service ls").stdout)?.[1] ?? "";
  const run = { victim, before, after, downAfterMs, restoredAfterMs, replicas };
  sim.trace.record("scenario.node-failure", { ...run });
  return { ...run, traceHash: s.traceHash() };
}

export function nodeFailureChecks(r: NodeFailureRun): Checks {
  const lost = current(r.before).filter((t) => t.node === r.victim);
  const kept = current(r.before).filter((t) => t.node !== r.victim);
  const now = current(r.after);
  const replacements = now.filter((t) => !kept.some((k) => k.id === t.id));
  const down = r.downAfterMs ?? Number.NaN;
  const restored = r.restoredAfterMs ?? Number.NaN;
  return {
    // Heartbeats every 5 s (±0.5); Down 3 periods after the last one, which came 0-5.5 s
    // before the crash; and one second of polling.
    markedDownAfterHeartbeatGrace: down >= 8 * SECOND && down <= 18 * SECOND,
    // The replacements start after the 5 s restart delay (plus a second of polling).
    restartedAfterRestartDelay: restored - down >= 4 * SECOND && restored - down <= 8 * SECOND,
    onlyTheMissingTasksReplaced:
      lost.length > 0 &&
      kept.every((k) => now.some((t) => t.id === k.id && t.node === k.node)) &&
      replacements.length === lost.length &&
      replacements.every((t) => t.node !== r.victim && lost.some((l) => l.name === t.name)),
    serviceKeepsTheHistory: lost.every((l) =>
      r.after.some((t) => t.history && t.id === l.id && t.desiredState === "Shutdown"),
    ),
    desiredReplicasRestored: r.replicas === "4/4",
  };
}

export const nodeFailure: Scenario = {
  name: "reconcile-node-failure",
  section: "Declarative vs imperative",
  claim:
    "Declarative: if a task is interrupted, the reconciliation loop figures out what's missing and does only what's necessary",
  defaultSeed: 1,
  run(seed) {
    const r = runNodeFailure(seed);
    const checks = nodeFailureChecks(r);
    const lost = current(r.before).filter((t) => t.node === r.victim).length;
    const sec = (ms: number | null) => (ms === null ? "never" : `${ms / SECOND} s`);
    return checkedResult(
      this.name,
      seed,
      r.traceHash,
      checks,
      {
        victim: r.victim,
        downAfterMs: r.downAfterMs,
        restoredAfterMs: r.restoredAfterMs,
        before: r.before,
        after: r.after,
      },
      `docker kill ${r.victim} (${lost} of web's 4 tasks): Down in docker node ls after ${sec(r.downAfterMs)} (heartbeat grace), ${lost} replacement tasks Running elsewhere after ${sec(r.restoredAfterMs)} (+ 5 s restart delay); the other tasks untouched, the old ones listed as Shutdown history; web ${r.replicas}`,
    );
  },
};

// ---------------------------------------------------------------- nodes start and stop containers

export interface NodeTasksRun {
  victim: string;
  /** Containers per worker (`docker exec NODE docker ps -q`) at each moment. */
  start: Record<string, number>;
  cutOff: Record<string, number>;
  reconnected: Record<string, number>;
  scaledUp: Record<string, number>;
  scaledDown: Record<string, number>;
  scaleDownOutput: string;
  traceHash: string;
}

function containers(s: LabSession): Record<string, number> {
  return Object.fromEntries(WORKERS.map((n) => [n, containersOn(s, n)]));
}

/** `reconnect: false` leaves the worker cut off: a broken run for tests. */
export function runNodeTasks(seed: number, opts: { reconnect?: boolean } = {}): NodeTasksRun {
  const s = startWeb(seed);
  const victim = busiestWorker(parseServicePs(s.must("docker service ps web").stdout));
  const start = containers(s);
  // Cut off, the node keeps its containers; the managers see it Down and replace its tasks.
  s.must(`docker network disconnect bridge ${victim}`);
  s.run("sleep 30");
  const cutOff = containers(s);
  if (opts.reconnect !== false) s.must(`docker network connect bridge ${victim}`);
  s.run("sleep 15");
  const reconnected = containers(s);
  s.run("docker service scale web=6");
  s.run("sleep 5");
  const scaledUp = containers(s);
  const down = s.run("docker service scale web=2");
  s.run("sleep 5");
  const scaledDown = containers(s);
  const run = {
    victim,
    start,
    cutOff,
    reconnected,
    scaledUp,
    scaledDown,
    scaleDownOutput: down.stdout.trim(),
  };
  s.lab.sim.trace.record("scenario.node-tasks", { ...run });
  return { ...run, traceHash: s.traceHash() };
}

const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

export function nodeTasksChecks(r: NodeTasksRun): Checks {
  const others = (c: Record<string, number>) => total(c) - c[r.victim];
  return {
    fourContainersAtStart: total(r.start) === 4,
    cutOffNodeKeepsItsContainers: r.start[r.victim] > 0 && r.cutOff[r.victim] === r.start[r.victim],
    tasksReplacedOnTheOthers: others(r.cutOff) === 4,
    reconnectedNodeStopsStaleContainers: r.reconnected[r.victim] === 0 && total(r.reconnected) === 4,
    scaleUpStartsContainers: total(r.scaledUp) === 6 && r.scaledUp[r.victim] > 0,
    scaleDownStopsContainers: total(r.scaledDown) === 2,
  };
}

export const nodeTasks: Scenario = {
  name: "reconcile-node-tasks",
  section: "SwarmKit concepts",
  claim: "Nodes know which tasks should be running, and will start or stop containers accordingly",
  defaultSeed: 1,
  run(seed) {
    const { traceHash, ...r } = runNodeTasks(seed);
    const checks = nodeTasksChecks({ traceHash, ...r });
    const v = r.victim;
    return checkedResult(
      this.name,
      seed,
      traceHash,
      checks,
      { ...r },
      `${v} cut off: it keeps its ${r.cutOff[v]} containers while the others take over (${total(r.cutOff) - r.cutOff[v]}); reconnected, it stops them (${r.reconnected[v]} left); scale to 6: ${total(r.scaledUp)} containers (${r.scaledUp[v]} started on ${v}); scale to 2: ${total(r.scaledDown)} left`,
    );
  },
};
