// The DockerCoins part of the lecture: scaling workers under Compose on one machine, the rng
// bottleneck, httping latencies, resource usage, and the Ctrl-C stop sequence.
import {
  type DockerCoinsExperiment,
  type DockerCoinsTiming,
  parseHttpingOutput,
  startDockerCoins,
} from "@swarm-sim/dockercoins-sim";
import { runJob } from "@swarm-sim/swarmkit-sim";
import { runDockerCoins } from "../experiments/dockercoins";
import { result, type Scenario, type ScenarioResult } from "../scenario";
import { combinedHash } from "./hash";

const SECTION_APP = "Our sample application: DockerCoins";
const MEASURE_MS = 60_000;
const WARMUP_MS = 10_000;

export interface RateOptions {
  /** A variant of the application, for tests of the verdict logic (e.g. an rng without its sleep). */
  timing?: Partial<DockerCoinsTiming>;
}

/** Starts DockerCoins with `workers` workers and returns the webui's steady rate over a minute. */
function steadyRate(exp: DockerCoinsExperiment): number {
  exp.runFor(WARMUP_MS + MEASURE_MS);
  return exp.hashesPerSecond({ warmupMs: WARMUP_MS });
}

/** Rates at each worker count, scaling one running application as the lecture does. */
export function measureScaling(seed: number, counts: number[], opts: RateOptions = {}) {
  const exp = startDockerCoins({ seed, workers: counts[0], timing: opts.timing });
  const rates: number[] = [];
  counts.forEach((n, i) => {
    if (i > 0) exp.scaleWorkers(n);
    rates.push(steadyRate(exp));
  });
  return { exp, rates };
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** A result whose trace hash also covers what the run found (the coins and the measurements). */
function finish(
  exp: DockerCoinsExperiment,
  name: string,
  seed: number,
  holds: boolean,
  measured: Record<string, unknown>,
  summary: string,
): ScenarioResult {
  // The wallet lives in redis: after a stop there is none to read.
  const redisUp = exp.project.containers({ service: "redis" }).some((c) => c.isRunning);
  exp.sim.trace.record(
    "scenario.measured",
    redisUp ? { measured, hashes: exp.hashes(), wallet: exp.wallet() } : { measured },
  );
  return result(name, seed, exp.sim.trace.hash(), holds, measured, summary);
}

// The verdicts, as functions of the measurements, so tests can feed them broken runs.

/** One loop is >= 0.3 s (three 0.1 s sleeps), so one worker makes a little under 3.33 hashes/s. */
export function oneWorkerHolds(rate: number): boolean {
  return rate > 2.5 && rate <= 1000 / 300;
}

/** "it should show a x2 improvement": within 10 %. */
export function doublingHolds(ratio: number): boolean {
  return ratio >= 1.8 && ratio <= 2.2;
}

/** "You should have seen a 3x speed bump (not 10x)": about 3, far from 10. */
export function tenWorkersHolds(ratio: number): boolean {
  return ratio >= 2.5 && ratio <= 3.5;
}

/** "rng has a much higher latency than hasher": five times or more. */
export function rngSlowerHolds(rngMs: number, hasherMs: number): boolean {
  return rngMs >= 5 * hasherMs;
}

export const oneWorker: Scenario = {
  name: "dockercoins-one-worker",
  section: SECTION_APP,
  claim:
    "One worker: each loop sleeps 0.1 s, then asks rng (0.1 s) and hasher (0.1 s): a few hashes per second",
  defaultSeed: 1,
  run(seed) {
    const { exp, rates } = measureScaling(seed, [1]);
    const rate = rates[0];
    return finish(
      exp,
      this.name,
      seed,
      oneWorkerHolds(rate),
      { workers: 1, hashesPerSecond: round(rate), theoreticalMax: round(1000 / 300) },
      `1 worker mines ${rate.toFixed(2)} hashes/s (at most 3.33 with three 0.1 s sleeps per loop)`,
    );
  },
};

export const twoWorkers: Scenario = {
  name: "dockercoins-x2",
  section: SECTION_APP,
  claim: "docker-compose up -d --scale worker=2: the performance graph should show a x2 improvement",
  defaultSeed: 1,
  run(seed) {
    const { exp, rates } = measureScaling(seed, [1, 2]);
    const ratio = rates[1] / rates[0];
    return finish(
      exp,
      this.name,
      seed,
      doublingHolds(ratio),
      { hashesPerSecond: { workers1: round(rates[0]), workers2: round(rates[1]) }, ratio: round(ratio) },
      `1 worker: ${rates[0].toFixed(2)} hashes/s, 2 workers: ${rates[1].toFixed(2)} hashes/s (x${ratio.toFixed(2)})`,
    );
  },
};

export function tenWorkersScenario(name: string, opts: RateOptions = {}): Scenario {
  return {
    name,
    section: SECTION_APP,
    claim: "docker-compose up -d --scale worker=10: you should see a 3x speed bump, not 10x",
    defaultSeed: 1,
    run(seed) {
      const { exp, rates } = measureScaling(seed, [1, 2, 10], opts);
      const ratio = rates[2] / rates[0];
      return finish(
        exp,
        this.name,
        seed,
        tenWorkersHolds(ratio),
        {
          hashesPerSecond: {
            workers1: round(rates[0]),
            workers2: round(rates[1]),
            workers10: round(rates[2]),
          },
          ratio: round(ratio),
        },
        `10 workers: ${rates[2].toFixed(2)} hashes/s = x${ratio.toFixed(2)} one worker's ${rates[0].toFixed(2)} (rng serves one request at a time: at most ~10/s)`,
      );
    },
  };
}

export const tenWorkers = tenWorkersScenario("dockercoins-x10");

export const rngLatency: Scenario = {
  name: "rng-latency",
  section: SECTION_APP,
  claim: "httping under load (10 workers): rng has a much higher latency than hasher",
  defaultSeed: 1,
  run(seed) {
    const exp = startDockerCoins({ seed, workers: 10 });
    exp.runFor(WARMUP_MS);
    const rng = parseHttpingOutput(exp.httping("rng", 5).lines);
    const hasher = parseHttpingOutput(exp.httping("hasher", 5).lines);
    const workersRng = exp.latencies("rng", { warmupMs: WARMUP_MS });
    const workersHasher = exp.latencies("hasher", { warmupMs: WARMUP_MS });
    return finish(
      exp,
      this.name,
      seed,
      rngSlowerHolds(rng.avg, hasher.avg) && rngSlowerHolds(workersRng.p50, workersHasher.p50),
      {
        httpingMs: {
          rng: { min: rng.min, avg: rng.avg, max: rng.max },
          hasher: { min: hasher.min, avg: hasher.avg, max: hasher.max },
        },
        workerLatencyMs: {
          rng: { p50: round(workersRng.p50, 1), p99: round(workersRng.p99, 1) },
          hasher: { p50: round(workersHasher.p50, 1), p99: round(workersHasher.p99, 1) },
        },
      },
      `httping avg: rng ${rng.avg.toFixed(1)} ms vs hasher ${hasher.avg.toFixed(1)} ms; the workers see rng p50 ${workersRng.p50.toFixed(0)} ms vs hasher ${workersHasher.p50.toFixed(0)} ms`,
    );
  },
};

export const coins: Scenario = {
  name: "dockercoins-coins",
  section: SECTION_APP,
  claim: "A DockerCoin is a hash that starts with 0: about one hash in 16",
  defaultSeed: 1,
  run(seed) {
    const exp = startDockerCoins({ seed, workers: 10 });
    exp.runFor(600_000);
    const hashes = exp.hashes();
    const found = exp.coins();
    const expected = hashes / 16;
    const sigma = Math.sqrt(hashes * (1 / 16) * (15 / 16));
    return finish(
      exp,
      this.name,
      seed,
      hashes > 0 && Math.abs(found - expected) <= 4 * sigma,
      { hashes, coins: found, expectedCoins: round(expected, 1), sigma: round(sigma, 1) },
      `${found} coins in ${hashes} hashes over 10 simulated minutes (1/16 predicts ${expected.toFixed(0)} ± ${sigma.toFixed(0)})`,
    );
  },
};

export const idleCpu: Scenario = {
  name: "dockercoins-idle-cpu",
  section: SECTION_APP,
  claim: "Look at top: we have idle cycles; more workers barely change the CPU load",
  defaultSeed: 1,
  run(seed) {
    const exp = startDockerCoins({ seed, workers: 10 });
    exp.runFor(60_000);
    const stats = exp.engine.stats();
    const busy = stats.reduce((a, s) => a + s.cpuPercent, 0) / exp.engine.cpus;
    return finish(
      exp,
      this.name,
      seed,
      busy < 10,
      { workers: 10, machineCpuPercent: round(busy), containers: stats.length },
      `with 10 workers the ${stats.length} containers use ${busy.toFixed(2)} % of the machine's ${exp.engine.cpus} CPUs`,
    );
  },
};

export const composeStop: Scenario = {
  name: "compose-stop",
  section: SECTION_APP,
  claim: "On ^C some containers exit immediately; those that do not handle SIGTERM are killed after 10 s",
  defaultSeed: 1,
  run(seed) {
    const exp = startDockerCoins({ seed, workers: 1 });
    exp.runFor(10_000);
    const running = exp.project.containers();
    const t0 = exp.sim.now();
    runJob(exp.sim, exp.project.interrupt());
    const exits: Record<string, { exitCode: number; afterS: number }> = {};
    for (const c of running) {
      exits[exp.project.serviceOf(c) ?? c.name] = {
        exitCode: c.exitCode,
        afterS: round((c.finishedAt - t0) / 1000, 3),
      };
    }
    const immediate = Object.keys(exits)
      .filter((s) => exits[s].afterS < 1)
      .sort();
    const killed = Object.keys(exits)
      .filter((s) => exits[s].exitCode === 137 && exits[s].afterS >= 10 && exits[s].afterS < 11)
      .sort();
    return finish(
      exp,
      this.name,
      seed,
      immediate.length > 0 && killed.length > 0 && immediate.length + killed.length === running.length,
      { exits, immediate, killedAfterTimeout: killed },
      `exit at once: ${immediate.join(", ")}; killed (137) after 10 s: ${killed.join(", ")}`,
    );
  },
};

export const DOCKERCOINS_SCENARIOS: Scenario[] = [
  oneWorker,
  twoWorkers,
  tenWorkers,
  rngLatency,
  coins,
  idleCpu,
  composeStop,
];

/** "We need to scale out the rng service on multiple machines!" */
export function rngScaleOutHolds(globalRate: number, singleRate: number): boolean {
  return globalRate >= 2 * singleRate;
}

export const rngScaleOut: Scenario = {
  name: "rng-scale-out",
  section: "SwarmKit: scaling out",
  claim:
    "The bottleneck is rng: scale it out on multiple machines (rng as a global service) and ten workers get past the single-rng limit",
  defaultSeed: 1,
  run(seed) {
    const base = {
      mode: "swarm" as const,
      workers: 10,
      hasherReplicas: 1,
      nodes: 5,
      durationMs: 60_000,
      seed,
    };
    const single = runDockerCoins({ ...base, rngReplicas: 1 });
    const global = runDockerCoins({ ...base, rngReplicas: undefined });
    const holds = rngScaleOutHolds(global.row.hashesPerSecond, single.row.hashesPerSecond);
    return result(
      this.name,
      seed,
      combinedHash([single.traceHash, global.traceHash]),
      holds,
      { singleRng: single.row, globalRng: global.row },
      `10 workers on a 5-node swarm: ${single.row.hashesPerSecond} hashes/s with one rng, ${global.row.hashesPerSecond} with rng global (one per node; rng p50 ${single.row.rngLatencyMs.p50} → ${global.row.rngLatencyMs.p50} ms)`,
    );
  },
};
