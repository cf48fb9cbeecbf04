// What a sweep can run in a worker: plain data in, plain data out (it crosses threads).
import { runManagerSizeCell, type ManagerSizeCell } from "../experiments/manager-size";
import { runManagersCell, type ManagersCell } from "../experiments/managers";
import { runQuorumCell, type QuorumCell } from "../experiments/quorum";
import { findScenario } from "../registry";

export type SweepTask =
  | { kind: "scenario"; name: string; seed: number }
  | ({ kind: "quorum" } & QuorumCell)
  | ({ kind: "managers" } & ManagersCell)
  | { kind: "manager-size"; cell: ManagerSizeCell };

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
    case "manager-size":
      return runManagerSizeCell(task.cell);
  }
}
