// Managers with a CPU (manager/cost-model.ts on kernel/cpu.ts): a manager's work takes
// simulated time on its machine's cores, so a scheduling pass writes its decisions when its
// work is done, a saturated manager answers heartbeats late and its nodes flap, memory grows
// with the store, and the model switched off changes nothing.
import { describe, expect, it } from "vitest";
import { TaskState } from "../src/api/types";
import { newId } from "../src/ca/identity";
import { Sim } from "../src/kernel/sim";
import { type CostModel, DEFAULT_COSTS, DEFAULT_MEMORY } from "../src/manager/cost-model";
import { serviceComponents } from "../src/manager/orchestrator";
import { defaultServiceSpec } from "../src/manager/orchestrator/service-defaults";
import { WriteTx } from "../src/manager/store/write-tx";
import { buildSwarm } from "../src/swarm/build";

/** A swarm whose first manager runs on a machine of `cores`, with the services components. */
function swarm(seed: string, cores: number, workers: number, costs: CostModel | null) {
  const sim = new Sim({ seed });
  sim.addMachine("manager1", { cores });
  const s = buildSwarm(sim, {
    managers: 1,
    workers,
    attach: { costs, leaderComponents: () => serviceComponents() },
  });
  const manager = s.managers[0].manager!;
  const downs = new Set<string>();
  manager.store.events.on("change", (e) => {
    if (
      e.type === "node" &&
      e.op === "update" &&
      (e.object as { status: { state: string } }).status.state === "down"
    )
      downs.add(e.object.id);
  });
  return { sim, s, manager, downs };
}

/** Creates a service of `replicas` and returns how long until every task was assigned. */
function scheduleMs(w: ReturnType<typeof swarm>, replicas: number): number {
  const spec = defaultServiceSpec("job", "busybox");
  spec.mode = { kind: "replicated", replicas };
  const tx = new WriteTx(w.manager.store, w.sim.now());
  tx.create("service", { id: newId(w.sim.random.fork("svc")), spec, specVersion: 1 });
  const t0 = w.sim.now();
  w.manager.proposer.propose(tx.actions, () => {});
  const assigned = () =>
    w.manager.store.count("task") === replicas &&
    [...w.manager.store.values("task")].every((t) => t.status.state >= TaskState.ASSIGNED);
  expect(w.sim.runUntil(assigned, 600_000)).toBe(true);
  return w.sim.now() - t0;
}

describe("managers with a CPU", () => {
  it("a scheduling pass takes its work's time before its decisions are written", () => {
    const on = scheduleMs(swarm("cpu-sched", 4, 10, DEFAULT_COSTS), 2000);
    const off = scheduleMs(swarm("cpu-sched", 4, 10, null), 2000);
    // The scheduler alone: 2,000 decisions of 0.2 ms on one core.
    expect(on).toBeGreaterThan(off + 2000 * DEFAULT_COSTS.schedulerTaskMs);
    expect(off).toBeLessThan(1000);
  });

  it("a manager too small for its nodes answers heartbeats late and they flap; a bigger one does not", () => {
    // A heartbeat made dear (100 ms of a core). An agent sends its next heartbeat a period after
    // the answer, so 200 nodes on one core settle where 200 x 0.1 s = (answer delay + 5 s):
    // answers 15 s late, past the agents' 5 s deadline and the 15 s grace. Four cores keep up.
    const dear: CostModel = { ...DEFAULT_COSTS, heartbeatMs: 100 };
    const run = (cores: number) => {
      const w = swarm(`cpu-flap-${cores}`, cores, 200, dear);
      w.sim.runFor(120_000);
      return w.downs.size;
    };
    expect(run(1)).toBeGreaterThan(0);
    expect(run(4)).toBe(0);
  });

  it("switched off, nothing is charged", () => {
    const w = swarm("cpu-off", 1, 20, null);
    w.sim.runFor(60_000);
    expect(w.sim.machine("manager1").cpu.doneMs()).toBe(0);
    const on = swarm("cpu-on", 1, 20, DEFAULT_COSTS);
    on.sim.runFor(60_000);
    expect(on.sim.machine("manager1").cpu.doneMs()).toBeGreaterThan(0);
  });

  it("memory grows with the store: nodes, tasks, the Raft log", () => {
    const w = swarm("cpu-mem", 4, 10, DEFAULT_COSTS);
    const before = w.manager.memoryBytes();
    expect(before).toBeGreaterThan(DEFAULT_MEMORY.baseBytes + 11 * DEFAULT_MEMORY.perNodeBytes);
    scheduleMs(w, 1000);
    const after = w.manager.memoryBytes();
    expect(after - before).toBeGreaterThan(1000 * DEFAULT_MEMORY.perTaskBytes);
  });
});
