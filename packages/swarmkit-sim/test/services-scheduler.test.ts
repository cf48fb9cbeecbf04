import { describe, expect, it } from "vitest";
import { TaskState } from "../src/api/types";
import { Allocator } from "../src/manager/allocator/allocator";
import { ReplicatedOrchestrator } from "../src/manager/orchestrator/replicated";
import { parseConstraints, constraintsMatch } from "../src/manager/constraint/constraint";
import { Scheduler } from "../src/manager/scheduler/scheduler";
import {
  addNodes,
  createService,
  harness,
  nodeObject,
  serviceSpec,
  tasksOf,
  updateNode,
  write,
} from "./support/services-fixtures";

function world(seed = 1) {
  return harness(seed, [new Allocator(), new Scheduler(), new ReplicatedOrchestrator()]);
}

function perNode(tasks: { nodeId: string }[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of tasks) m.set(t.nodeId, (m.get(t.nodeId) ?? 0) + 1);
  return m;
}

describe("scheduler", () => {
  it("spreads a service's tasks evenly and marks them assigned", () => {
    const h = world();
    addNodes(h, 4);
    const s = createService(
      h,
      serviceSpec("web", (x) => (x.mode = { kind: "replicated", replicas: 10 })),
    );
    h.sim.runFor(2000);
    const tasks = tasksOf(h, s.id);
    expect(tasks).toHaveLength(10);
    for (const t of tasks) {
      expect(t.status.state).toBe(TaskState.ASSIGNED);
      expect(t.status.message).toBe("scheduler assigned task to node");
    }
    const counts = [...perNode(tasks).values()].sort();
    expect(counts).toEqual([2, 2, 3, 3]);
  });

  it("prefers nodes with fewer tasks in total when the service counts tie", () => {
    const h = world();
    addNodes(h, 2);
    const a = createService(
      h,
      serviceSpec("a", (x) => (x.mode = { kind: "replicated", replicas: 3 })),
    );
    h.sim.runFor(2000);
    const busy = perNode(tasksOf(h, a.id));
    const b = createService(
      h,
      serviceSpec("b", (x) => (x.mode = { kind: "replicated", replicas: 1 })),
    );
    h.sim.runFor(2000);
    const [t] = tasksOf(h, b.id);
    const lighter = [...busy.entries()].sort((x, y) => x[1] - y[1])[0][0];
    expect(t.nodeId).toBe(lighter);
  });

  it("honours constraints and explains unschedulable tasks", () => {
    const h = world();
    addNodes(h, 3, { labels: { zone: "a" } });
    write(h.store, 0, (tx) => tx.create("node", nodeObject("down1", { state: "down" })));
    const s = createService(
      h,
      serviceSpec("db", (x) => (x.task.placement.constraints = ["node.labels.zone==b"])),
    );
    h.sim.runFor(2000);
    const [t] = tasksOf(h, s.id);
    expect(t.status.state).toBe(TaskState.PENDING);
    expect(t.status.err).toBe(
      "no suitable node (scheduling constraints not satisfied on 3 nodes; 1 node not available for new tasks)",
    );
    // A node that satisfies it arrives: the task is placed there.
    write(h.store, h.sim.now(), (tx) => tx.create("node", nodeObject("zb", { labels: { zone: "b" } })));
    h.sim.runFor(2000);
    expect(h.store.get("task", t.id)!.nodeId).toBe("zb");
    expect(h.store.get("task", t.id)!.status.state).toBe(TaskState.ASSIGNED);
  });

  it("filters on reserved resources and max replicas per node", () => {
    const h = world();
    addNodes(h, 2, { nanoCPUs: 2e9 });
    const s = createService(
      h,
      serviceSpec("cpu", (x) => {
        x.mode = { kind: "replicated", replicas: 5 };
        x.task.resources.reservations.nanoCPUs = 1e9;
      }),
    );
    h.sim.runFor(2000);
    const tasks = tasksOf(h, s.id);
    expect(tasks.filter((t) => t.status.state === TaskState.ASSIGNED)).toHaveLength(4);
    const stuck = tasks.find((t) => t.status.state === TaskState.PENDING)!;
    expect(stuck.status.err).toBe("no suitable node (insufficient resources on 2 nodes)");

    const h2 = world(2);
    addNodes(h2, 2);
    const m = createService(
      h2,
      serviceSpec("m", (x) => {
        x.mode = { kind: "replicated", replicas: 3 };
        x.task.placement.maxReplicas = 1;
      }),
    );
    h2.sim.runFor(2000);
    const pending = tasksOf(h2, m.id).filter((t) => t.status.state === TaskState.PENDING);
    expect(pending).toHaveLength(1);
    expect(pending[0].status.err).toBe("no suitable node (max replicas per node limit exceed)");
  });

  it("never places tasks on drained or paused nodes", () => {
    const h = world();
    const ids = addNodes(h, 3);
    updateNode(h, ids[0], (n) => (n.spec.availability = "drain"));
    updateNode(h, ids[1], (n) => (n.spec.availability = "pause"));
    const s = createService(
      h,
      serviceSpec("web", (x) => (x.mode = { kind: "replicated", replicas: 4 })),
    );
    h.sim.runFor(2000);
    expect(new Set(tasksOf(h, s.id).map((t) => t.nodeId))).toEqual(new Set([ids[2]]));
  });

  it("spreads over placement preference branches, nodes without the label in their own branch", () => {
    const h = world();
    write(h.store, 0, (tx) => {
      for (let i = 0; i < 4; i++) tx.create("node", nodeObject(`a${i}`, { labels: { dc: "east" } }));
      tx.create("node", nodeObject("b0", { labels: { dc: "west" } }));
      tx.create("node", nodeObject("c0"));
    });
    const s = createService(
      h,
      serviceSpec("web", (x) => {
        x.mode = { kind: "replicated", replicas: 9 };
        x.task.placement.preferences = [{ spreadDescriptor: "node.labels.dc" }];
      }),
    );
    h.sim.runFor(2000);
    const counts = perNode(tasksOf(h, s.id));
    const east = [0, 1, 2, 3].reduce((n, i) => n + (counts.get(`a${i}`) ?? 0), 0);
    expect(east).toBe(3);
    expect(counts.get("b0")).toBe(3);
    expect(counts.get("c0")).toBe(3);
  });

  it("batches: one pass places a whole group", () => {
    const sched = new Scheduler();
    const h = harness(3, [new Allocator(), sched, new ReplicatedOrchestrator()]);
    addNodes(h, 50);
    createService(
      h,
      serviceSpec("web", (x) => (x.mode = { kind: "replicated", replicas: 500 })),
    );
    h.sim.runFor(3000);
    expect(sched.assignedTotal).toBe(500);
    expect(sched.passes).toBeLessThanOrEqual(2);
  });
});

describe("constraints", () => {
  const node = {
    ...nodeObject("abc", { hostname: "Node-1", labels: { zone: "a" }, role: "manager", addr: "10.0.0.7" }),
    version: 1,
    createdAt: 0,
    updatedAt: 0,
  };
  const match = (...exprs: string[]) => {
    const p = parseConstraints(exprs);
    if (!p.ok) throw new Error(p.error);
    return constraintsMatch(p.constraints, node);
  };
  it("matches node attributes case-insensitively and labels exactly", () => {
    expect(match("node.hostname==node-1")).toBe(true);
    expect(match("node.role==manager", "node.labels.zone==a")).toBe(true);
    expect(match("node.labels.zone!=a")).toBe(false);
    expect(match("node.labels.Zone==a")).toBe(false);
    expect(match("node.ip==10.0.0.0/24")).toBe(true);
    expect(match("node.ip!=10.0.0.7")).toBe(false);
    expect(match("node.platform.os==linux")).toBe(true);
    expect(match("node.unknown==x")).toBe(false);
  });
  it("rejects malformed expressions with SwarmKit's messages", () => {
    expect(parseConstraints(["node.hostname=x"])).toEqual({
      ok: false,
      error: "constraint expected one operator from ==, !=",
    });
    expect(parseConstraints(["==x"])).toEqual({ ok: false, error: "key '' is invalid" });
    expect(parseConstraints(["node.id==a<b"])).toEqual({ ok: false, error: "value 'a<b' is invalid" });
  });
});
