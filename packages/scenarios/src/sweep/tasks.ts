// What a sweep can run in a worker: plain data in, plain data out (it crosses threads, and
// machines through JSON lines). A task is one seed of one configuration.
import { type DockerCoinsConfig, runDockerCoins } from "../experiments/dockercoins";
import { type ManagerSizeCell, runManagerSizeCell } from "../experiments/manager-size";
import { runManagersCell, type ManagersCell } from "../experiments/managers";
import { runQuorumCell, type QuorumCell } from "../experiments/quorum";
import { runFuzzSeed } from "../fuzz/seed";
import { findScenario } from "../registry";

export type SweepTask =
  | { kind: "scenario"; name: string; seed: number }
  | ({ kind: "quorum" } & QuorumCell)
  | ({ kind: "managers" } & ManagersCell)
  | ({ kind: "dockercoins" } & DockerCoinsConfig)
  | { kind: "manager-size"; cell: ManagerSizeCell }
  | { kind: "fuzz"; seed: number };

export function runSweepTask(task: SweepTask): unknown {
  switch (task.kind) {
    case "scenario": {
      const s = findScenario(task.name);
      if (!s) throw new Error(`unknown scenario: ${task.name}`);
      return s.run(task.seed);
    }
    case "quorum":
      return runQuorumCell(task);
    case "managers":
      return runManagersCell(task);
    case "dockercoins":
      return runDockerCoins(task);
    case "manager-size":
      return runManagerSizeCell(task.cell);
    case "fuzz":
      return runFuzzSeed(task.seed);
  }
}

/**
 * Runs a task and gives its result as JSON text. Every sweep's results pass through JSON, in
 * this thread or a worker, so a result read back from a JSON-lines file is exactly the one a
 * sweep on one machine reports.
 */
export function runSweepTaskJson(task: SweepTask): string {
  return JSON.stringify(runSweepTask(task));
}
