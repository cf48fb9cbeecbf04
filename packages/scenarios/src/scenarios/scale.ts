// "What's the upper limit?": 1000–10000 nodes is fine; scheduling of large jobs (>70,000
// containers) is slow. Both run on a real swarm (real joins, certificates, heartbeats, Raft).
import {
  buildSwarm,
  ca,
  defaultServiceSpec,
  serviceComponents,
  Sim,
  TaskState,
  WriteTx,
} from "@swarm-sim/swarmkit-sim";
import { result, type Scenario } from "../scenario";

const SECTION = "What's the upper limit?";

export const largeCluster: Scenario = {
  name: "large-cluster",
  section: SECTION,
  claim: "Internal testing at Docker Inc.: 1000-10000 nodes is fine",
  defaultSeed: 1,
  run(seed) {
    const sim = new Sim({ seed: `large-cluster/${seed}` });
    const workers = 1000;
    const swarm = buildSwarm(sim, { managers: 5, workers });
    const leader = swarm.leader();
    const sent0 = sim.net.stats.sent;
    const restMs = 600_000;
    sim.runFor(restMs);
    const now = swarm.leader();
    const nodes = now?.manager?.store.nodes() ?? [];
    const ready = nodes.filter((n) => n.status.state === "ready").length;
    const msgsPerSec = (sim.net.stats.sent - sent0) / (restMs / 1000);
    const holds = now !== undefined && now === leader && ready === workers + 5;
    sim.trace.record("scenario.large-cluster", { ready, msgsPerSec });
    return result(
      this.name,
      seed,
      sim.trace.hash(),
      holds,
      { nodes: workers + 5, ready, leaderStable: now === leader, messagesPerSecond: Math.round(msgsPerSec) },
      `5 managers + ${workers} workers: ${ready} nodes Ready after 10 simulated minutes at rest, the same leader throughout, ${Math.round(msgsPerSec)} messages/s (heartbeats every 5 s)`,
    );
  },
};

/**
 * Creates a service of `replicas` tasks on a swarm of `workers` nodes and counts the work until
 * every task is assigned: store transactions (Raft entries) and simulated time.
 */
export function scheduleJob(seed: number, workers: number, replicas: number) {
  const sim = new Sim({ seed: `large-scheduling/${seed}/${replicas}` });
  const swarm = buildSwarm(sim, {
    managers: 3,
    workers,
    attach: { leaderComponents: () => serviceComponents() },
  });
  sim.runFor(10_000);
  const leader = swarm.leader()!.manager!;
  let assigned = 0;
  leader.store.events.on("change", (e) => {
    if (e.type !== "task") return;
    const now = (e.object as { status: { state: number } }).status.state >= TaskState.ASSIGNED;
    const before = e.old
      ? (e.old as { status: { state: number } }).status.state >= TaskState.ASSIGNED
      : false;
    if (now && !before) assigned++;
  });
  const spec = defaultServiceSpec("big", "busybox");
  spec.mode = { kind: "replicated", replicas };
  const tx = new WriteTx(leader.store, sim.now());
  tx.create("service", { id: ca.newId(sim.random.fork("scenario/ids")), spec, specVersion: 1 });
  const v0 = leader.store.version;
  const t0 = sim.now();
  leader.proposer.propose(tx.actions, () => {});
  sim.runUntil(() => assigned >= replicas, 600_000);
  return { sim, assigned, transactions: leader.store.version - v0, simMs: sim.now() - t0 };
}

export const largeScheduling: Scenario = {
  name: "large-scheduling",
  section: SECTION,
  claim: "Scheduling of large jobs (>70,000 containers) is slow",
  defaultSeed: 1,
  run(seed) {
    const small = scheduleJob(seed, 1000, 1000);
    const big = scheduleJob(seed, 1000, 70_000);
    const ratio = big.transactions / small.transactions;
    const holds = big.assigned === 70_000 && ratio >= 50;
    big.sim.trace.record("scenario.large-scheduling", { small: small.transactions, big: big.transactions });
    return result(
      this.name,
      seed,
      big.sim.trace.hash(),
      holds,
      {
        tasks1000: { transactions: small.transactions, simMs: Math.round(small.simMs) },
        tasks70000: { transactions: big.transactions, simMs: Math.round(big.simMs) },
        ratio: Number(ratio.toFixed(1)),
      },
      `placing 70,000 tasks on 1,000 nodes took ${big.transactions} Raft transactions (max 200 changes each) against ${small.transactions} for 1,000 tasks: the leader's work grows with the job (x${ratio.toFixed(0)}); the simulator has no CPU model, so it shows the work, not seconds`,
    );
  },
};

export const SCALE_SCENARIOS: Scenario[] = [largeCluster, largeScheduling];
