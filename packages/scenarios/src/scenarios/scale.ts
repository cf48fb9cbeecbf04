// "What's the upper limit?": 1000–10000 nodes is fine; scheduling of large jobs (>70,000
// containers) is slow; you're gonna need a bigger manager. All run on a real swarm (real joins,
// certificates, heartbeats, Raft) whose managers' work costs simulated CPU time.
import {
  buildSwarm,
  bytesSize,
  ca,
  defaultServiceSpec,
  serviceComponents,
  Sim,
  TaskState,
  utilization,
  WriteTx,
} from "@swarm-sim/swarmkit-sim";
import { formHeartbeatSwarm, restartManagerAs } from "../experiments/manager-size";
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
    const cpu = leader?.machine.cpu;
    const busy0 = cpu?.doneMs() ?? 0;
    sim.runFor(restMs);
    const cpuPercent = cpu ? utilization(cpu.cores, busy0, cpu.doneMs(), restMs) * 100 : 0;
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
      {
        nodes: workers + 5,
        ready,
        leaderStable: now === leader,
        messagesPerSecond: Math.round(msgsPerSec),
        leaderCpuPercent: Number(cpuPercent.toFixed(1)),
      },
      `5 managers + ${workers} workers: ${ready} nodes Ready after 10 simulated minutes at rest, the same leader throughout, ${Math.round(msgsPerSec)} messages/s (heartbeats every 5 s), the leader's ${cpu?.cores ?? 0} cores ${cpuPercent.toFixed(1)} % busy`,
    );
  },
};

/**
 * Creates a service of `replicas` tasks on a swarm of `workers` nodes and counts the work until
 * every task is assigned: store transactions (Raft entries), simulated time (the managers' work
 * costs CPU time: swarmkit-sim's cost model), the leader's CPU meanwhile and its memory after.
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
  const machine = swarm.leader()!.machine;
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
  const busy0 = machine.cpu.doneMs();
  leader.proposer.propose(tx.actions, () => {});
  sim.runUntil(() => assigned >= replicas, 600_000);
  const simMs = sim.now() - t0;
  return {
    sim,
    assigned,
    transactions: leader.store.version - v0,
    simMs,
    /** The leader's cores busy over the scheduling (0..100). */
    cpuPercent: utilization(machine.cores, busy0, machine.cpu.doneMs(), simMs) * 100,
    memoryBytes: leader.memoryBytes(),
    machineMemoryBytes: machine.memoryBytes,
    cores: machine.cores,
  };
}

/** The claim, as numbers: a 70,000-task job takes more than 10 s and 20 times a 1,000-task one. */
export function largeJobIsSlow(small: { simMs: number }, big: { simMs: number; assigned: number }): boolean {
  return big.assigned === 70_000 && big.simMs >= 10_000 && big.simMs >= 20 * small.simMs;
}

export const largeScheduling: Scenario = {
  name: "large-scheduling",
  section: SECTION,
  claim: "Scheduling of large jobs (>70,000 containers) is slow; more containers require RAM",
  defaultSeed: 1,
  run(seed) {
    const small = scheduleJob(seed, 1000, 1000);
    const big = scheduleJob(seed, 1000, 70_000);
    const ratio = big.transactions / small.transactions;
    const holds = largeJobIsSlow(small, big) && ratio >= 50;
    big.sim.trace.record("scenario.large-scheduling", { small: small.transactions, big: big.transactions });
    const secs = (ms: number) => (ms / 1000).toFixed(1);
    return result(
      this.name,
      seed,
      big.sim.trace.hash(),
      holds,
      {
        tasks1000: { transactions: small.transactions, simMs: Math.round(small.simMs) },
        tasks70000: {
          transactions: big.transactions,
          simMs: Math.round(big.simMs),
          leaderCpuPercent: Math.round(big.cpuPercent),
          leaderMemoryBytes: big.memoryBytes,
        },
        ratio: Number(ratio.toFixed(1)),
        timeRatio: Number((big.simMs / small.simMs).toFixed(1)),
      },
      `placing 70,000 tasks on 1,000 nodes took ${secs(big.simMs)} s against ${secs(small.simMs)} s for 1,000 ` +
        `(x${(big.simMs / small.simMs).toFixed(0)}; ${big.transactions} Raft transactions against ${small.transactions}); ` +
        `the leader's ${big.cores} cores were ${Math.round(big.cpuPercent)} % busy meanwhile (the scheduler is one of them, ` +
        `all along) and it holds ${bytesSize(big.memoryBytes)} afterwards, ` +
        `${Math.round((big.memoryBytes / big.machineMemoryBytes) * 100)} % of its ${bytesSize(big.machineMemoryBytes)} ` +
        "(its work is simulated CPU time: see swarmkit-sim's cost model)",
    );
  },
};

/**
 * "You're gonna need a bigger manager": a 6,000-node swarm's manager restarted on 1 core and on
 * 4 (every node registers again at once). The claim holds when the small one answers later
 * than the agents wait (heartbeats missed) and the big one does not.
 */
export function biggerManagerNeeded(small: { missed: boolean }, big: { missed: boolean }): boolean {
  return small.missed && !big.missed;
}

export const biggerManager: Scenario = {
  name: "bigger-manager",
  section: SECTION,
  claim:
    "One of the main take-aways was: you're gonna need a bigger manager (more nodes require manager CPU)",
  defaultSeed: 1,
  run(seed) {
    // One swarm, its manager restarted twice: as a 1-core, 4 GB machine, then resized to 4 cores
    // and 16 GB (what an operator does with a VM that was too small).
    const sim = new Sim({ seed: `bigger-manager/${seed}` });
    const nodes = 6000;
    const manager = formHeartbeatSwarm(sim, nodes).managers[0];
    const small = restartManagerAs(sim, manager, { cores: 1, memoryGB: 4, nodes, seed });
    const big = restartManagerAs(sim, manager, { cores: 4, memoryGB: 16, nodes, seed });
    const holds = biggerManagerNeeded(small, big);
    const late = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`);
    return result(
      this.name,
      seed,
      sim.trace.hash(),
      holds,
      { oneCore: { ...small, traceHash: undefined }, fourCores: { ...big, traceHash: undefined } },
      `a 6,000-node swarm's manager restarted, every node registering again: on 1 core its CPU was ` +
        `${small.cpuPercentStorm} % busy and answers waited up to ${late(small.worstWaitMs)} ` +
        `(agents wait 5 s: heartbeats missed${small.nodesDown ? `, ${small.nodesDown} nodes Down` : ""}); on 4 cores ` +
        `${big.cpuPercentStorm} % and ${late(big.worstWaitMs)}. At rest, 6,000 nodes keep 1 core ` +
        `${small.cpuPercentRest} % busy and 4 cores ${big.cpuPercentRest} %`,
    );
  },
};

export const SCALE_SCENARIOS: Scenario[] = [largeCluster, largeScheduling, biggerManager];
