// The 2N+1 experiment: for a swarm of M managers (and one worker running a service), crash f
// managers chosen at random and measure whether the control plane still accepts writes, how
// long the survivors take to elect a new leader when the leader was among the crashed, and
// whether the containers already running on the worker kept running. Each cell is one
// (managers, failed, seed) run in its own simulation, so cells run in any order or thread.
import { Lab, swarmOf } from "@swarm-sim/swarmkit-sim";
import { joinAddress } from "../scenarios/lab-steps";
import { quantile, round } from "./stats";

export interface QuorumCell {
  managers: number;
  failed: number;
  seed: number;
}

export interface QuorumCellResult extends QuorumCell {
  writesAccepted: boolean;
  /** Simulated ms from the crash to a new leader; null when the leader survived or none was elected. */
  electionMs: number | null;
  leaderFailed: boolean;
  containersKeptRunning: boolean;
  traceHash: string;
}

export interface QuorumRow {
  managers: number;
  failed: number;
  /** Fraction of seeds in which a write succeeded, 0..1. */
  writesAccepted: number;
  electionMs: { p50: number | null; p99: number | null } | null;
  containersKeptRunning: boolean;
  /** What the 2N+1 rule predicts: writes survive up to floor((M-1)/2) failures. */
  ruleSaysWritable: boolean;
}

const nodeName = (i: number) => `node${i + 1}`;

function must(lab: Lab, line: string): string {
  const r = lab.run(line);
  if (r.exitCode !== 0) throw new Error(`quorum experiment: "${line}" failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

function runningTasks(lab: Lab, worker: string): number {
  return lab.run(`docker exec ${worker} docker ps -q`).stdout.split("\n").filter(Boolean).length;
}

export function runQuorumCell(cell: QuorumCell): QuorumCellResult {
  const { managers, failed, seed } = cell;
  const lab = new Lab({ seed: `quorum/${managers}/${failed}/${seed}`, services: true });
  const worker = nodeName(managers);
  must(lab, "docker swarm init");
  const addr = joinAddress(must(lab, "docker swarm join-token worker"));
  const managerToken = must(lab, "docker swarm join-token -q manager").trim();
  const workerToken = must(lab, "docker swarm join-token -q worker").trim();
  for (let i = 1; i <= managers; i++) {
    const name = nodeName(i);
    must(lab, `docker run -d --privileged --name ${name} docker:dind`);
    must(
      lab,
      `docker exec ${name} docker swarm join --token ${i < managers ? managerToken : workerToken} ${addr}`,
    );
  }
  must(lab, "docker service create --detach --name web --replicas 2 --constraint node.role==worker nginx");
  lab.run("sleep 30");
  const before = runningTasks(lab, worker);

  // Crash f managers chosen at random (node1 included: it is a machine like the others).
  const rng = lab.sim.random.fork("experiment/quorum");
  const names = Array.from({ length: managers }, (_, i) => nodeName(i));
  const crashed = rng.shuffle(names).slice(0, failed);
  const leaderBefore = names.find((n) => swarmOf(lab.node(n))?.manager?.isLeader());
  const leaderFailed = leaderBefore !== undefined && crashed.includes(leaderBefore);
  const crashAt = lab.sim.now();
  for (const n of crashed) lab.sim.machine(n).crash();
  const survivors = names.filter((n) => !crashed.includes(n));

  let electionMs: number | null = null;
  if (leaderFailed && survivors.length > 0) {
    const elected = lab.sim.runUntil(
      () => survivors.some((n) => swarmOf(lab.node(n))?.manager?.isLeader()),
      120_000,
    );
    if (elected) electionMs = lab.sim.now() - crashAt;
  }
  lab.sim.runFor(Math.max(0, crashAt + 60_000 - lab.sim.now()));

  // A write (a node label) through a surviving manager, as a user would type it there.
  let writesAccepted = false;
  if (survivors.length > 0) {
    const via = survivors[0];
    const prefix = via === "node1" ? "" : `docker exec ${via} `;
    writesAccepted =
      lab.run(`${prefix}docker node update --label-add probe=${seed} ${worker}`).exitCode === 0;
  }
  lab.run("sleep 60");
  const after = runningTasks(lab, worker);
  lab.sim.trace.record("experiment.quorum", { crashed, writesAccepted, electionMs, before, after });
  return {
    ...cell,
    writesAccepted,
    electionMs,
    leaderFailed,
    containersKeptRunning: before > 0 && after === before,
    traceHash: lab.sim.trace.hash(),
  };
}

export function quorumCells(managerCounts: readonly number[], seeds: number, firstSeed = 1): QuorumCell[] {
  const cells: QuorumCell[] = [];
  for (const managers of managerCounts)
    for (let failed = 0; failed <= managers; failed++)
      for (let s = 0; s < seeds; s++) cells.push({ managers, failed, seed: firstSeed + s });
  return cells;
}

export function quorumRows(results: readonly QuorumCellResult[]): QuorumRow[] {
  const groups = new Map<string, QuorumCellResult[]>();
  for (const r of results) {
    const key = `${r.managers}/${r.failed}`;
    const g = groups.get(key) ?? [];
    g.push(r);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => {
    const { managers, failed } = g[0];
    const elections = g.map((r) => r.electionMs).filter((x): x is number => x !== null);
    return {
      managers,
      failed,
      writesAccepted: g.filter((r) => r.writesAccepted).length / g.length,
      electionMs: elections.length
        ? { p50: round(quantile(elections, 0.5)), p99: round(quantile(elections, 0.99)) }
        : null,
      containersKeptRunning: g.every((r) => r.containersKeptRunning),
      ruleSaysWritable: failed <= Math.floor((managers - 1) / 2),
    };
  });
}

/** Does the table reproduce 2N+1: writes in every seed up to floor((M-1)/2) failures, in none beyond? */
export function reproduces2NPlus1(rows: readonly QuorumRow[]): boolean {
  return rows.every((r) => (r.ruleSaysWritable ? r.writesAccepted === 1 : r.writesAccepted === 0));
}
