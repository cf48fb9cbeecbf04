// The constraint enforcer and placement changes on running tasks, as SwarmKit applies them:
// a node that stops satisfying a service's constraints (labels, resources) has those tasks
// rejected and placed again; a paused node is left alone; a constraint-only service update
// leaves tasks whose node still matches, and moves the others; placement preferences alone
// move nothing. The property test: after the enforcer's grace no running task sits on an active
// node its service's constraints exclude; a broken enforcer fails it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Service, TaskState } from "../src/api/types";
import { constraintsMatch, parseConstraints } from "../src/manager/constraint/constraint";
import type { LeaderComponent } from "../src/manager/component";
import { Allocator } from "../src/manager/allocator/allocator";
import {
  ConstraintEnforcer,
  ENFORCER_ERR,
  ENFORCER_MESSAGE,
} from "../src/manager/orchestrator/constraint-enforcer";
import { GlobalOrchestrator } from "../src/manager/orchestrator/global";
import { ReplicatedOrchestrator } from "../src/manager/orchestrator/replicated";
import { TaskReaper } from "../src/manager/orchestrator/task-reaper";
import { Scheduler } from "../src/manager/scheduler/scheduler";
import type { MemoryStore } from "../src/manager/store/memory-store";
import { fcParams } from "../src/testing/fc-params";
import {
  StoreAgents,
  addNodes,
  createService,
  harness,
  running,
  serviceSpec,
  updateNode,
  updateService,
} from "./support/services-fixtures";
import { servicesSwarm } from "./support/services-swarm";

/** Time the enforcer, the orchestrator and the store agents need to act on a node change. */
const GRACE_MS = 2000;

const components = (enforcer: LeaderComponent = new ConstraintEnforcer()): LeaderComponent[] => [
  new Allocator(),
  new Scheduler(),
  new ReplicatedOrchestrator(),
  new GlobalOrchestrator(),
  enforcer,
  new TaskReaper(),
];

/** Four nodes, zones a, a, a, b; a service of three replicas pinned to zone a. */
function zoned(seed: number, enforcer?: LeaderComponent) {
  const h = harness(seed, components(enforcer));
  addNodes(h, 4);
  for (const [i, zone] of ["a", "a", "a", "b"].entries())
    updateNode(h, `node${i + 1}`, (n) => (n.spec.labels = { zone }));
  new StoreAgents(h);
  const s = createService(
    h,
    serviceSpec("web", (x) => {
      x.mode = { kind: "replicated", replicas: 3 };
      x.task.placement.constraints = ["node.labels.zone==a"];
      x.task.restartPolicy.delayMs = 0;
    }),
  );
  h.sim.runFor(5000);
  return { h, s };
}

/** Running tasks on active nodes (of `only`, if given) whose service's constraints exclude the node. */
function violations(store: MemoryStore, only?: string): string[] {
  const out: string[] = [];
  for (const t of store.values("task")) {
    if (t.status.state !== TaskState.RUNNING || (only !== undefined && t.nodeId !== only)) continue;
    const n = store.get("node", t.nodeId);
    const s = store.get("service", t.serviceId);
    if (!n || !s || n.spec.availability !== "active") continue;
    const c = parseConstraints(s.spec.task.placement.constraints);
    if (c.ok && !constraintsMatch(c.constraints, n))
      out.push(`${s.spec.name} task ${t.id} runs on ${n.id} (${JSON.stringify(n.spec.labels)})`);
  }
  return out;
}

describe("the constraint enforcer", () => {
  it("rejects a task whose node lost the label, and the orchestrator places it again on a node that has it", () => {
    const { h, s } = zoned(1);
    expect(new Set(running(h, s.id).map((t) => t.nodeId))).toEqual(new Set(["node1", "node2", "node3"]));
    const before = running(h, s.id).find((t) => t.nodeId === "node2")!;
    updateNode(h, "node2", (n) => (n.spec.labels = { zone: "b" }));
    h.sim.runFor(GRACE_MS);
    const old = h.store.get("task", before.id)!;
    expect(old.status).toMatchObject({
      state: TaskState.REJECTED,
      message: ENFORCER_MESSAGE,
      err: ENFORCER_ERR,
    });
    expect(running(h, s.id)).toHaveLength(3);
    expect(running(h, s.id).every((t) => t.nodeId === "node1" || t.nodeId === "node3")).toBe(true);
    expect(violations(h.store)).toEqual([]);
  });

  it("leaves a paused node's tasks alone, and acts once it is active again", () => {
    const { h, s } = zoned(2);
    updateNode(h, "node3", (n) => {
      n.spec.availability = "pause";
      n.spec.labels = {};
    });
    h.sim.runFor(GRACE_MS);
    expect(running(h, s.id).some((t) => t.nodeId === "node3")).toBe(true);
    updateNode(h, "node3", (n) => (n.spec.availability = "active"));
    h.sim.runFor(GRACE_MS);
    expect(running(h, s.id).some((t) => t.nodeId === "node3")).toBe(false);
    expect(running(h, s.id)).toHaveLength(3);
  });

  it("rejects tasks whose reservations the node's resources no longer cover", () => {
    const h = harness(3, components());
    addNodes(h, 2, { memoryBytes: 4 * 2 ** 30 });
    new StoreAgents(h);
    const s = createService(
      h,
      serviceSpec("big", (x) => {
        x.mode = { kind: "replicated", replicas: 2 };
        x.task.resources.reservations.memoryBytes = 3 * 2 ** 30;
        x.task.restartPolicy.delayMs = 0;
      }),
    );
    h.sim.runFor(5000);
    expect(running(h, s.id)).toHaveLength(2);
    // node1 reports less memory (its engine came back on a smaller machine).
    updateNode(h, "node1", (n) => (n.description!.resources.memoryBytes = 2 * 2 ** 30));
    h.sim.runFor(GRACE_MS);
    const onNode1 = h.store.tasksByNode("node1").filter((t) => t.serviceId === s.id);
    expect(onNode1.some((t) => t.status.state === TaskState.REJECTED)).toBe(true);
    expect(onNode1.some((t) => t.status.state === TaskState.RUNNING)).toBe(false);
  });
});

describe("placement changes of a service, applied to running tasks", () => {
  it("a constraint its nodes still satisfy replaces nothing; one they do not moves only their tasks", () => {
    const { h, s } = zoned(4);
    const ids = () => new Set(running(h, s.id).map((t) => t.id));
    const first = ids();
    updateService(h, s.id, (x) => x.task.placement.constraints.push("node.role==worker"));
    h.sim.runFor(10_000);
    expect(ids()).toEqual(first);
    updateService(h, s.id, (x) => x.task.placement.constraints.push("node.hostname!=node1"));
    h.sim.runFor(20_000);
    const now = running(h, s.id);
    expect(now).toHaveLength(3);
    expect(now.some((t) => t.nodeId === "node1")).toBe(false);
    // The tasks on node2 and node3 were not replaced.
    expect(now.filter((t) => first.has(t.id))).toHaveLength(2);
  });

  it("placement preferences or max replicas alone replace nothing (IsTaskDirtyPlacementConstraintsOnly)", () => {
    const { h, s } = zoned(5);
    const first = new Set(running(h, s.id).map((t) => t.id));
    updateService(h, s.id, (x) => {
      x.task.placement.preferences = [{ spreadDescriptor: "node.labels.zone" }];
      x.task.placement.maxReplicas = 2;
    });
    h.sim.runFor(10_000);
    expect(new Set(running(h, s.id).map((t) => t.id))).toEqual(first);
  });
});

// ---- the property ----

type Op =
  | { k: "label"; n: number; zone: "a" | "b" | "" }
  | { k: "pause"; n: number }
  | { k: "activate"; n: number }
  | { k: "constrain"; zone: "a" | "b" }
  | { k: "scale"; replicas: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    k: fc.constant("label" as const),
    n: fc.integer({ min: 1, max: 4 }),
    zone: fc.constantFrom("a" as const, "b" as const, "" as const),
  }),
  fc.record({ k: fc.constant("pause" as const), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ k: fc.constant("activate" as const), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ k: fc.constant("constrain" as const), zone: fc.constantFrom("a" as const, "b" as const) }),
  fc.record({ k: fc.constant("scale" as const), replicas: fc.integer({ min: 0, max: 5 }) }),
);

/**
 * Plays a script; after each node change and the enforcer's grace, checks the invariant on that
 * node. (A service's own constraint change goes through the rolling updater instead, which, as
 * SwarmKit's, waits for each new task to run: with no node left for it, the update stalls and
 * the other old tasks stay where they are until their node changes.)
 */
function play(seed: number, script: Op[], enforcer: () => LeaderComponent): string[] {
  const { h, s } = zoned(seed, enforcer());
  const found: string[] = [];
  for (const op of script) {
    switch (op.k) {
      case "label":
        updateNode(h, `node${op.n}`, (n) => (n.spec.labels = op.zone ? { zone: op.zone } : {}));
        break;
      case "pause":
      case "activate":
        updateNode(h, `node${op.n}`, (n) => (n.spec.availability = op.k === "pause" ? "pause" : "active"));
        break;
      case "constrain":
        updateService(h, s.id, (x) => (x.task.placement.constraints = [`node.labels.zone==${op.zone}`]));
        break;
      case "scale":
        updateService(h, s.id, (x) => (x.mode = { kind: "replicated", replicas: op.replicas }));
        break;
    }
    h.sim.runFor(op.k === "constrain" ? 30_000 : GRACE_MS);
    if (op.k === "label" || op.k === "pause" || op.k === "activate")
      for (const v of violations(h.store, `node${op.n}`)) found.push(`after ${JSON.stringify(op)}: ${v}`);
  }
  return found;
}

/** An enforcer that never acts (a leader without SwarmKit's constraintenforcer). */
class IdleEnforcer extends ConstraintEnforcer {
  override noncompliant(): [] {
    return [];
  }
}

describe("the constraint property", () => {
  it("after the enforcer's grace, no running task sits on an active node its service's constraints exclude", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(opArb, { minLength: 1, maxLength: 8 }),
        (seed, ops) => {
          expect(play(seed, ops, () => new ConstraintEnforcer())).toEqual([]);
        },
      ),
      fcParams(10),
    );
  });

  it("fails with a broken enforcer", () => {
    // A node of zone a is relabelled b: without the enforcer its task stays.
    expect(play(7, [{ k: "label", n: 1, zone: "b" }], () => new IdleEnforcer()).length).toBeGreaterThan(0);
    // And the property finds it by itself.
    const r = fc.check(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(opArb, { minLength: 1, maxLength: 8 }),
        (seed, ops) => play(seed, ops, () => new IdleEnforcer()).length === 0,
      ),
      { seed: 42, numRuns: 50 },
    );
    expect(r.failed).toBe(true);
  });
});

describe("the enforcer on a real swarm", () => {
  it("docker node update --label-rm: the task's container stops there and the task runs elsewhere", () => {
    const w = servicesSwarm("enforcer-e2e", 1, 3);
    for (const n of ["worker1", "worker2"]) w.docker(`docker node update --label-add disk=ssd ${n}`);
    w.docker("docker service create --name db --constraint node.labels.disk==ssd --replicas 2 nginx");
    const store = w.leaderStore();
    const svc = store.serviceByName("db") as Service;
    const on = (host: string) =>
      store
        .tasksByService(svc.id)
        .filter(
          (t) =>
            t.status.state === TaskState.RUNNING &&
            store.get("node", t.nodeId)?.description?.hostname === host,
        );
    expect(on("worker1")).toHaveLength(1);
    w.docker("docker node update --label-rm disk worker1");
    w.docker("docker node update --label-add disk=ssd worker3");
    w.sim.runFor(15_000);
    expect(on("worker1")).toHaveLength(0);
    expect(on("worker3")).toHaveLength(1);
    const containers = w.engines
      .get("worker1")!
      .containers()
      .filter((c) => c.name.startsWith("db."));
    expect(containers).toEqual([]);
    const ps = w.docker("docker service ps --no-trunc db").out;
    expect(ps).toMatch(/Rejected \d+ seconds ago\s+"assigned node no longer meets constraints"/);
  });
});
