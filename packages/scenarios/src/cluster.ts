// A few lines to a property test: build a real swarm from a seed, break it, ask it to write.
import fc from "fast-check";
import {
  buildSwarm,
  type BuiltSwarm,
  faultScheduleArb,
  type FaultAction,
  Sim,
  type SwarmNode,
} from "@swarm-sim/swarmkit-sim";
import { proposeProbe } from "./experiments/probe-write";

export interface ClusterShape {
  managers: number;
  workers: number;
}

/** Cluster shapes: 1..maxManagers managers, 0..maxWorkers workers. */
export function clusterArb(
  opts: { maxManagers?: number; maxWorkers?: number } = {},
): fc.Arbitrary<ClusterShape> {
  return fc.record({
    managers: fc.integer({ min: 1, max: opts.maxManagers ?? 7 }),
    workers: fc.integer({ min: 0, max: opts.maxWorkers ?? 5 }),
  });
}

/** Fault schedules over a cluster's machines (managers are named manager1.., workers worker1..). */
export function clusterFaultsArb(
  shape: ClusterShape,
  horizonMs = 120_000,
  maxActions = 6,
): fc.Arbitrary<FaultAction[]> {
  const names = [
    ...Array.from({ length: shape.managers }, (_, i) => `manager${i + 1}`),
    ...Array.from({ length: shape.workers }, (_, i) => `worker${i + 1}`),
  ];
  return faultScheduleArb({ machines: names, horizonMs, maxActions });
}

export interface Cluster {
  sim: Sim;
  swarm: BuiltSwarm;
  /** Managers whose machine is up. */
  liveManagers(): SwarmNode[];
  /** Writes a node label through `via` (default: the first live manager); true once applied. */
  write(via?: SwarmNode, timeoutMs?: number): boolean;
  /** Runs until some manager leads and every live manager knows it (true), or the limit passes. */
  awaitLeader(limitMs?: number): boolean;
}

export function startCluster(seed: number | string, shape: ClusterShape): Cluster {
  const sim = new Sim({ seed });
  const swarm = buildSwarm(sim, { managers: shape.managers, workers: shape.workers });
  let n = 0;
  const liveManagers = () => swarm.managers.filter((m) => sim.machine(m.machine.name).isUp());
  return {
    sim,
    swarm,
    liveManagers,
    write(via = liveManagers()[0], timeoutMs = 30_000) {
      let done: boolean | undefined;
      const sent =
        via !== undefined &&
        proposeProbe(via, String(++n), (err) => {
          done ??= err === null;
        });
      if (!sent) return false;
      sim.runUntil(() => done !== undefined, timeoutMs);
      return done === true;
    },
    awaitLeader(limitMs = 120_000) {
      return sim.runUntil(() => {
        const live = liveManagers();
        return live.some((m) => m.manager?.isLeader()) && live.every((m) => m.manager?.hasLeader());
      }, limitMs);
    },
  };
}
