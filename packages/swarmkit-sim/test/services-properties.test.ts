// Property tests over random sequences of service operations and node faults, on a leader's
// store with the real orchestrators, scheduler, allocator and reaper and store-level agents.
// Each checker also runs against a deliberately broken orchestrator and must fail there.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Service } from "../src/api/types";
import type { StoreEvent } from "../src/manager/store/actions";
import { TaskState } from "../src/api/types";
import type { LeaderComponent } from "../src/manager/component";
import { Allocator } from "../src/manager/allocator/allocator";
import { GlobalOrchestrator } from "../src/manager/orchestrator/global";
import { ReplicatedOrchestrator } from "../src/manager/orchestrator/replicated";
import { StoreLoop } from "../src/manager/orchestrator/store-loop";
import { newTask } from "../src/manager/orchestrator/task-factory";
import { TaskReaper } from "../src/manager/orchestrator/task-reaper";
import { Scheduler } from "../src/manager/scheduler/scheduler";
import type { WriteTx } from "../src/manager/store/write-tx";
import { fcParams } from "../src/testing/fc-params";
import {
  checkConverged,
  checkGlobalOnePerNode,
  checkNoneOnDrained,
  checkReplicaBound,
} from "./support/services-checkers";
import {
  StoreAgents,
  addNodes,
  createService,
  harness,
  serviceSpec,
  updateNode,
  updateService,
  write,
} from "./support/services-fixtures";

const NODES = 4;

type Op =
  | { k: "create"; global: boolean; replicas: number; startFirst: boolean; constrained: boolean }
  | { k: "scale"; i: number; replicas: number }
  | { k: "update"; i: number }
  | { k: "remove"; i: number }
  | { k: "down"; n: number }
  | { k: "up"; n: number }
  | { k: "drain"; n: number }
  | { k: "activate"; n: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    k: fc.constant("create" as const),
    global: fc.boolean(),
    replicas: fc.integer({ min: 0, max: 6 }),
    startFirst: fc.boolean(),
    constrained: fc.boolean(),
  }),
  fc.record({ k: fc.constant("scale" as const), i: fc.nat(5), replicas: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ k: fc.constant("update" as const), i: fc.nat(5) }),
  fc.record({ k: fc.constant("remove" as const), i: fc.nat(5) }),
  fc.record({ k: fc.constant("down" as const), n: fc.integer({ min: 1, max: NODES }) }),
  fc.record({ k: fc.constant("up" as const), n: fc.integer({ min: 1, max: NODES }) }),
  fc.record({ k: fc.constant("drain" as const), n: fc.integer({ min: 1, max: NODES }) }),
  fc.record({ k: fc.constant("activate" as const), n: fc.integer({ min: 1, max: NODES }) }),
);
const scriptArb = fc.array(fc.tuple(opArb, fc.integer({ min: 100, max: 8000 })), {
  minLength: 1,
  maxLength: 12,
});

type Components = () => LeaderComponent[];
const real: Components = () => [
  new Allocator(),
  new Scheduler(),
  new ReplicatedOrchestrator(),
  new GlobalOrchestrator(),
  new TaskReaper(),
];

interface Outcome {
  during: string[];
  converged: string[];
  global: string[];
  drained: string[];
}

/** Plays a script, checking the replica bound as it goes; then heals the nodes (drains stay) and settles. */
function play(seed: number, script: [Op, number][], components: Components, settleMs = 90_000): Outcome {
  const h = harness(seed, components());
  addNodes(h, NODES);
  new StoreAgents(h);
  const services: Service[] = [];
  const pick = (i: number) => (services.length ? services[i % services.length] : undefined);
  const during: string[] = [];
  let n = 0;
  for (const [op, gap] of script) {
    const node = "n" in op ? `node${op.n}` : "";
    switch (op.k) {
      case "create":
        services.push(
          createService(
            h,
            serviceSpec(`s${n++}`, (x) => {
              x.mode = op.global ? { kind: "global" } : { kind: "replicated", replicas: op.replicas };
              if (op.startFirst) x.update.order = "start-first";
              if (op.constrained) x.task.placement.constraints = ["node.hostname!=node1"];
              x.task.restartPolicy.delayMs = 1000;
            }),
          ),
        );
        break;
      case "scale": {
        const s = pick(op.i);
        if (s && h.store.get("service", s.id)?.spec.mode.kind === "replicated")
          updateService(h, s.id, (x) => (x.mode = { kind: "replicated", replicas: op.replicas }));
        break;
      }
      case "update": {
        const s = pick(op.i);
        if (s && h.store.get("service", s.id))
          updateService(h, s.id, (x) => (x.task.container.image = `nginx:${n++}`));
        break;
      }
      case "remove": {
        const s = pick(op.i);
        if (s && h.store.get("service", s.id))
          write(h.store, h.sim.now(), (tx) => tx.delete("service", s.id));
        break;
      }
      case "down":
      case "up":
        updateNode(h, node, (x) => (x.status = { ...x.status, state: op.k === "down" ? "down" : "ready" }));
        break;
      case "drain":
      case "activate":
        updateNode(h, node, (x) => (x.spec.availability = op.k === "drain" ? "drain" : "active"));
        break;
    }
    for (let t = 0; t < gap; t += 250) {
      h.sim.runFor(250);
      for (const v of checkReplicaBound(h.store)) during.push(`t=${h.sim.now()}: ${v}`);
    }
  }
  // Faults heal: every node is back; at least one stays active so there is somewhere to run.
  for (let i = 1; i <= NODES; i++)
    updateNode(h, `node${i}`, (x) => (x.status = { ...x.status, state: "ready" }));
  updateNode(h, "node2", (x) => (x.spec.availability = "active"));
  for (let t = 0; t < settleMs; t += 1000) {
    h.sim.runFor(1000);
    for (const v of checkReplicaBound(h.store)) during.push(`t=${h.sim.now()}: ${v}`);
  }
  return {
    during,
    converged: checkConverged(h.store),
    global: checkGlobalOnePerNode(h.store),
    drained: checkNoneOnDrained(h.store),
  };
}

describe("orchestration properties", () => {
  it("after faults heal, observed state converges; replica bound, one global task per node, nothing on drained nodes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), scriptArb, (seed, script) => {
        const o = play(seed, script, real);
        expect(o.during).toEqual([]);
        expect(o.converged).toEqual([]);
        expect(o.global).toEqual([]);
        expect(o.drained).toEqual([]);
      }),
      fcParams(12),
    );
  });

  it("lets superseded start-first updates overlap, one batch per older version (FC_SEED=1669719699)", () => {
    // Three updates 100 ms apart: each new updater starts its task before the slot's older ones
    // (the first version and the superseded update's) are shut down, as SwarmKit's does; three
    // run at once for a moment, then one.
    const update: [Op, number] = [{ k: "update", i: 0 }, 100];
    const o = play(
      1,
      [
        [{ k: "create", global: false, replicas: 1, startFirst: true, constrained: false }, 100],
        update,
        update,
        update,
        [{ k: "remove", i: 0 }, 100],
      ],
      real,
    );
    expect(o).toEqual({ during: [], converged: [], global: [], drained: [] });
  });
});

// ---- broken orchestrators: each checker must catch one ----

/**
 * Keeps a second runnable task beside every running one (in its slot, on its node): an
 * orchestrator that duplicates for good. (One duplicate, once, would be healed: the updater
 * keeps one up-to-date task per slot, as SwarmKit's does.)
 */
class Duplicator extends StoreLoop {
  readonly name = "duplicator";
  protected init(): void {}
  protected reset(): void {}
  protected observe(events: readonly StoreEvent[]): boolean {
    return events.some((e) => e.type === "task");
  }
  protected reconcile(tx: WriteTx): undefined {
    const runnable = new Map<string, number>();
    const key = (t: { serviceId: string; slot: number; nodeId: string }) =>
      `${t.serviceId}/${t.slot}/${t.nodeId}`;
    for (const t of this.ctx.store.values("task"))
      if (t.desiredState <= TaskState.RUNNING) runnable.set(key(t), (runnable.get(key(t)) ?? 0) + 1);
    for (const t of this.ctx.store.values("task")) {
      if (t.status.state !== TaskState.RUNNING || t.desiredState > TaskState.RUNNING) continue;
      if ((runnable.get(key(t)) ?? 0) > 1) continue;
      const s = this.ctx.store.get("service", t.serviceId);
      if (!s) continue;
      runnable.set(key(t), 2);
      tx.create("task", newTask(this.ctx.random, s, t.slot, t.nodeId, this.now()));
    }
    return undefined;
  }
}

/** A global orchestrator blind to a second up-to-date task on a node (it never cleans one up). */
class DuplicateBlindGlobal extends GlobalOrchestrator {
  protected override slotsOf(...args: Parameters<GlobalOrchestrator["slotsOf"]>) {
    const slots = super.slotsOf(...args);
    for (const v of slots.values()) if (v.keep) v.dirty = false;
    return slots;
  }
}

/** A replicated orchestrator deaf to node changes: drained and downed nodes keep their tasks. */
class NodeBlindReplicated extends ReplicatedOrchestrator {
  protected override observe(events: readonly StoreEvent[]): boolean {
    return super.observe(events.filter((e) => e.type !== "node"));
  }
}

describe("the checkers catch broken orchestrators", () => {
  const create = (global: boolean, replicas = 3): [Op, number] => [
    { k: "create", global, replicas, startFirst: false, constrained: false },
    5000,
  ];

  it("replica bound and convergence fail when tasks are duplicated", () => {
    const o = play(1, [create(false)], () => [...real(), new Duplicator()], 20_000);
    expect(o.during.length).toBeGreaterThan(0);
    expect(o.converged.length).toBeGreaterThan(0);
  });

  it("one-task-per-node fails when a global service gets duplicates", () => {
    const o = play(
      2,
      [create(true)],
      () => [
        new Allocator(),
        new Scheduler(),
        new ReplicatedOrchestrator(),
        new DuplicateBlindGlobal(),
        new TaskReaper(),
        new Duplicator(),
      ],
      20_000,
    );
    expect(o.global.length).toBeGreaterThan(0);
  });

  it("convergence fails without a global orchestrator", () => {
    const o = play(
      3,
      [create(true)],
      () => [new Allocator(), new Scheduler(), new ReplicatedOrchestrator(), new TaskReaper()],
      20_000,
    );
    expect(o.converged.length).toBeGreaterThan(0);
  });

  it("drained-node check fails when the orchestrator ignores node changes", () => {
    const o = play(
      4,
      [create(false, 8), [{ k: "drain", n: 3 }, 5000]],
      () => [
        new Allocator(),
        new Scheduler(),
        new NodeBlindReplicated(),
        new GlobalOrchestrator(),
        new TaskReaper(),
      ],
      20_000,
    );
    expect(o.drained.length).toBeGreaterThan(0);
  });
});
