// "More managers do not add capacity" and "managers should be < 10 ms from each other": for a
// swarm of M managers whose links have a given round-trip time, write to the store once a
// second through a randomly chosen manager (followers forward to the leader) and measure the
// commit latency of each write, how many writes fail, and how often leadership changes.
import { buildSwarm, type SwarmNode, Sim } from "@swarm-sim/swarmkit-sim";
import { proposeProbe } from "./probe-write";
import { quantile, round } from "./stats";

export interface ManagersCell {
  managers: number;
  rttMs: number;
  seed: number;
  /** Simulated duration of the measurement (default 10 minutes). */
  durationMs?: number;
}

export interface ManagersCellResult {
  managers: number;
  rttMs: number;
  seed: number;
  writes: number;
  failedWrites: number;
  commitLatencyMs: { p50: number | null; p99: number | null };
  /** Median commit latency of writes sent to the leader, and to a follower (which forwards them). */
  viaLeaderMs: number | null;
  viaFollowerMs: number | null;
  /** Samples (one per second) at which exactly one manager was leader, out of all samples. */
  singleLeaderSamples: number;
  samples: number;
  leaderChanges: number;
  /** Raft messages sent per committed write (all manager-to-manager traffic / writes). */
  messagesPerWrite: number;
  traceHash: string;
}

function setManagerRtt(sim: Sim, names: string[], rttMs: number): void {
  const oneWay = rttMs / 2;
  for (let i = 0; i < names.length; i++)
    for (let j = i + 1; j < names.length; j++)
      sim.net.setLink(names[i], names[j], {
        latency: { kind: "normal", mean: oneWay, stddev: oneWay / 10, floor: oneWay * 0.8 },
      });
}

export function runManagersCell(cell: ManagersCell): ManagersCellResult {
  const { managers, rttMs, seed } = cell;
  const durationMs = cell.durationMs ?? 600_000;
  const sim = new Sim({ seed: `managers/${managers}/${rttMs}/${seed}` });
  const names = Array.from({ length: managers }, (_, i) => `manager${i + 1}`);
  for (const n of names) sim.addMachine(n);
  setManagerRtt(sim, names, rttMs);
  const swarm = buildSwarm(sim, { managers, workers: 0 });
  sim.runFor(30_000);

  const rng = sim.random.fork("experiment/managers");
  const latencies: number[] = [];
  const viaLeader: number[] = [];
  const viaFollower: number[] = [];
  let samples = 0;
  let singleLeader = 0;
  let writes = 0;
  let failed = 0;
  let leaderChanges = 0;
  let leader = swarm.leader();
  const sentBefore = sim.net.stats.sent;
  const end = sim.now() + durationMs;
  const writeOnce = (via: SwarmNode) => {
    const t0 = sim.now();
    const toLeader = via.manager?.isLeader() === true;
    const sent = proposeProbe(via, String(writes), (err) => {
      if (err) failed++;
      else {
        latencies.push(sim.now() - t0);
        (toLeader ? viaLeader : viaFollower).push(sim.now() - t0);
      }
    });
    if (sent) writes++;
  };
  const tick = () => {
    samples++;
    if (swarm.managers.filter((n) => n.manager?.isLeader()).length === 1) singleLeader++;
    const now = swarm.leader();
    if (now !== leader) {
      if (leader !== undefined || now !== undefined) leaderChanges++;
      leader = now;
    }
    if (sim.now() >= end) return;
    writeOnce(rng.pick(swarm.managers));
    sim.after(1000, tick);
  };
  sim.after(0, tick);
  sim.runFor(durationMs + 30_000);
  const sent = sim.net.stats.sent - sentBefore;
  const result: ManagersCellResult = {
    managers,
    rttMs,
    seed,
    writes,
    failedWrites: failed,
    commitLatencyMs: { p50: round(quantile(latencies, 0.5), 2), p99: round(quantile(latencies, 0.99), 2) },
    viaLeaderMs: round(quantile(viaLeader, 0.5), 2),
    viaFollowerMs: round(quantile(viaFollower, 0.5), 2),
    singleLeaderSamples: singleLeader,
    samples,
    leaderChanges,
    messagesPerWrite: round(sent / Math.max(1, writes - failed), 1) ?? 0,
    traceHash: "",
  };
  sim.trace.record("experiment.managers", { ...result });
  result.traceHash = sim.trace.hash();
  return result;
}

export function managersCells(
  managerCounts: readonly number[],
  rtts: readonly number[],
  seeds: number,
  firstSeed = 1,
): ManagersCell[] {
  const cells: ManagersCell[] = [];
  for (const managers of managerCounts)
    for (const rttMs of rtts)
      for (let s = 0; s < seeds; s++) cells.push({ managers, rttMs, seed: firstSeed + s });
  return cells;
}
