import { describe, expect, it } from "vitest";
import { TaskState, type Task } from "../src/api/types";
import { serviceComponents } from "../src/manager/orchestrator";
import {
  StoreAgents,
  addNodes,
  createService,
  harness,
  running,
  serviceSpec,
  tasksOf,
  updateNode,
  updateService,
  write,
  nodeObject,
} from "./support/services-fixtures";

function world(seed = 1, nodes = 3) {
  const h = harness(seed, serviceComponents());
  const ids = addNodes(h, nodes);
  const agents = new StoreAgents(h);
  return { h, ids, agents };
}

const runnable = (ts: Task[]) => ts.filter((t) => t.desiredState <= TaskState.RUNNING);

describe("replicated orchestrator", () => {
  it("creates slots 1..N, scales up into the lowest free slots and down to the crowded nodes", () => {
    const { h } = world();
    const s = createService(
      h,
      serviceSpec("web", (x) => (x.mode = { kind: "replicated", replicas: 3 })),
    );
    h.sim.runFor(5000);
    expect(
      running(h, s.id)
        .map((t) => t.slot)
        .sort(),
    ).toEqual([1, 2, 3]);
    updateService(h, s.id, (x) => (x.mode = { kind: "replicated", replicas: 6 }));
    h.sim.runFor(5000);
    expect(
      running(h, s.id)
        .map((t) => t.slot)
        .sort(),
    ).toEqual([1, 2, 3, 4, 5, 6]);
    updateService(h, s.id, (x) => (x.mode = { kind: "replicated", replicas: 3 }));
    h.sim.runFor(5000);
    const left = running(h, s.id);
    expect(left).toHaveLength(3);
    // one per node remains
    expect(new Set(left.map((t) => t.nodeId)).size).toBe(3);
    // removed tasks are deleted once stopped, not kept as history
    expect(tasksOf(h, s.id)).toHaveLength(3);
  });

  it("restarts a failed task in the same slot after the restart delay", () => {
    const { h, agents } = world();
    const s = createService(h, serviceSpec("web"));
    h.sim.runFor(3000);
    const [t] = running(h, s.id);
    agents.crash(t.id);
    h.sim.runFor(1000);
    const fresh = tasksOf(h, s.id).find((x) => x.id !== t.id)!;
    expect(fresh.slot).toBe(t.slot);
    expect(fresh.desiredState).toBe(TaskState.READY);
    expect(h.store.get("task", t.id)!.desiredState).toBe(TaskState.SHUTDOWN);
    h.sim.runFor(3500); // 4.5 s after the crash: still waiting
    expect(h.store.get("task", fresh.id)!.desiredState).toBe(TaskState.READY);
    h.sim.runFor(1000);
    expect(h.store.get("task", fresh.id)!.desiredState).toBe(TaskState.RUNNING);
    h.sim.runFor(1000);
    expect(running(h, s.id).map((x) => x.id)).toEqual([fresh.id]);
  });

  it("starts a waiting replacement that reaches the store after it started (an entry of an earlier leader)", () => {
    const { h } = world();
    const s = createService(h, serviceSpec("web"));
    h.sim.runFor(3000);
    const [t] = running(h, s.id);
    // The previous leader's restart commits only now: the old task shut down, its replacement
    // waiting (desired READY) for a start this leader's restart supervisor never scheduled.
    write(h.store, h.sim.now(), (tx) => {
      tx.update("task", t.id, (d) => {
        d.desiredState = TaskState.SHUTDOWN;
      });
      const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...rest } = t;
      tx.create("task", {
        ...rest,
        id: "late-replacement",
        nodeId: "",
        desiredState: TaskState.READY,
        status: { state: TaskState.NEW, timestamp: h.sim.now(), message: "created" },
      });
    });
    h.sim.runFor(2000);
    expect(h.store.get("task", "late-replacement")!.desiredState).toBe(TaskState.READY);
    h.sim.runFor(5000); // past the restart delay (5 s)
    expect(h.store.get("task", "late-replacement")!.desiredState).toBe(TaskState.RUNNING);
    h.sim.runFor(2000);
    expect(running(h, s.id).map((x) => x.id)).toEqual(["late-replacement"]);
  });

  it("honours restart condition none, on-failure and max attempts", () => {
    const { h, agents } = world();
    const none = createService(
      h,
      serviceSpec("none", (x) => (x.task.restartPolicy.condition = "none")),
    );
    const onf = createService(
      h,
      serviceSpec("onf", (x) => (x.task.restartPolicy.condition = "on-failure")),
    );
    const max = createService(
      h,
      serviceSpec("max", (x) => (x.task.restartPolicy.maxAttempts = 2)),
    );
    h.sim.runFor(3000);
    agents.crash(running(h, none.id)[0].id);
    agents.crash(running(h, onf.id)[0].id, TaskState.COMPLETE);
    h.sim.runFor(10_000);
    expect(runnable(tasksOf(h, none.id))).toHaveLength(0);
    expect(runnable(tasksOf(h, onf.id))).toHaveLength(0);
    for (let i = 0; i < 3; i++) {
      const r = running(h, max.id);
      if (r.length) agents.crash(r[0].id);
      h.sim.runFor(10_000);
    }
    // two restarts allowed, then the slot stays empty
    expect(tasksOf(h, max.id)).toHaveLength(3);
    expect(runnable(tasksOf(h, max.id))).toHaveLength(0);
  });

  it("replaces the tasks of a DOWN node at once and starts them after the delay; no duplicates when it returns", () => {
    const { h, ids } = world(2, 3);
    const s = createService(
      h,
      serviceSpec("web", (x) => (x.mode = { kind: "replicated", replicas: 3 })),
    );
    h.sim.runFor(3000);
    const victim = ids[0];
    const lost = running(h, s.id).filter((t) => t.nodeId === victim);
    expect(lost).toHaveLength(1);
    updateNode(h, victim, (n) => (n.status = { ...n.status, state: "down", message: "heartbeat failure" }));
    h.sim.runFor(500);
    const repl = runnable(tasksOf(h, s.id)).find((t) => t.slot === lost[0].slot && t.id !== lost[0].id)!;
    expect(repl).toBeDefined();
    expect(repl.nodeId).not.toBe(victim);
    // the old task keeps its last reported state while its node is away
    expect(h.store.get("task", lost[0].id)!.status.state).toBe(TaskState.RUNNING);
    expect(h.store.get("task", lost[0].id)!.desiredState).toBe(TaskState.SHUTDOWN);
    h.sim.runFor(6000);
    expect(running(h, s.id)).toHaveLength(4); // 3 + the stale report from the down node
    updateNode(h, victim, (n) => (n.status = { ...n.status, state: "ready", message: "" }));
    h.sim.runFor(2000);
    expect(running(h, s.id)).toHaveLength(3);
    expect(running(h, s.id).every((t) => t.nodeId !== victim)).toBe(true);
  });

  it("moves tasks off a drained node without waiting for the restart delay", () => {
    const { h, ids } = world(3, 3);
    const s = createService(
      h,
      serviceSpec("web", (x) => (x.mode = { kind: "replicated", replicas: 6 })),
    );
    h.sim.runFor(3000);
    updateNode(h, ids[1], (n) => (n.spec.availability = "drain"));
    h.sim.runFor(2000);
    const r = running(h, s.id);
    expect(r).toHaveLength(6);
    expect(r.some((t) => t.nodeId === ids[1])).toBe(false);
  });

  it("rolls an update 2 at a time with a delay between batches", () => {
    const { h } = world(4, 3);
    const s = createService(
      h,
      serviceSpec("web", (x) => {
        x.mode = { kind: "replicated", replicas: 6 };
        x.update.parallelism = 2;
        x.update.delayMs = 10_000;
      }),
    );
    h.sim.runFor(3000);
    updateService(h, s.id, (x) => (x.task.container.image = "nginx:2"));
    const image = (t: Task) => t.spec.container.image;
    const samples: number[] = [];
    for (let i = 0; i < 8; i++) {
      h.sim.runFor(5000);
      const r = running(h, s.id);
      expect(r.length).toBeLessThanOrEqual(6);
      samples.push(r.filter((t) => image(t) === "nginx:2").length);
    }
    expect(samples[0]).toBe(2);
    expect(samples.at(-1)).toBe(6);
    // never more than 2 at a time: the count goes up in steps of at most 2 per 10 s
    for (let i = 2; i < samples.length; i++) expect(samples[i] - samples[i - 2]).toBeLessThanOrEqual(2);
    h.sim.runFor(10_000);
    expect(h.store.get("service", s.id)!.updateStatus?.state).toBe("completed");
    expect(h.store.get("service", s.id)!.updateStatus?.message).toBe("update completed");
  });

  it("pauses a failing update; a rollback restores the old spec", () => {
    const { h, agents } = world(5, 3);
    const s = createService(
      h,
      serviceSpec("web", (x) => (x.mode = { kind: "replicated", replicas: 4 })),
    );
    h.sim.runFor(3000);
    agents.fail = (t) => t.spec.container.image === "broken";
    updateService(h, s.id, (x) => (x.task.container.image = "broken"));
    h.sim.runFor(10_000);
    const st = h.store.get("service", s.id)!.updateStatus!;
    expect(st.state).toBe("paused");
    expect(st.message).toMatch(/^update paused due to failure or early termination of task [0-9a-z]{25}$/);
    // rollback (what `docker service rollback` writes)
    write(h.store, h.sim.now(), (tx) =>
      tx.update("service", s.id, (x) => {
        const prev = x.previousSpec!;
        x.previousSpec = x.spec;
        x.spec = prev;
        x.specVersion++;
        x.updateStatus = {
          state: "rollback_started",
          startedAt: h.sim.now(),
          message: "manually requested rollback",
        };
      }),
    );
    h.sim.runFor(40_000);
    const after = h.store.get("service", s.id)!;
    expect(after.updateStatus?.state).toBe("rollback_completed");
    const r = running(h, s.id);
    expect(r).toHaveLength(4);
    expect(r.every((t) => t.spec.container.image === "nginx:latest")).toBe(true);
  });

  it("rolls back by itself with failure action rollback", () => {
    const { h, agents } = world(6, 3);
    const s = createService(
      h,
      serviceSpec("web", (x) => {
        x.mode = { kind: "replicated", replicas: 3 };
        x.update.failureAction = "rollback";
      }),
    );
    h.sim.runFor(3000);
    agents.fail = (t) => t.spec.container.image === "broken";
    updateService(h, s.id, (x) => (x.task.container.image = "broken"));
    h.sim.runFor(60_000);
    const after = h.store.get("service", s.id)!;
    expect(after.updateStatus?.state).toBe("rollback_completed");
    expect(after.spec.task.container.image).toBe("nginx:latest");
    expect(running(h, s.id).every((t) => t.spec.container.image === "nginx:latest")).toBe(true);
    expect(running(h, s.id)).toHaveLength(3);
  });

  it("start-first starts the new task before stopping the old one", () => {
    const { h } = world(7, 2);
    const s = createService(
      h,
      serviceSpec("web", (x) => {
        x.update.order = "start-first";
      }),
    );
    h.sim.runFor(3000);
    updateService(h, s.id, (x) => (x.task.container.image = "nginx:2"));
    let maxRunning = 0;
    for (let i = 0; i < 60; i++) {
      h.sim.runFor(100);
      maxRunning = Math.max(maxRunning, running(h, s.id).length);
    }
    expect(maxRunning).toBe(2);
    h.sim.runFor(10_000);
    expect(running(h, s.id).map((t) => t.spec.container.image)).toEqual(["nginx:2"]);
  });

  it("a slot replaced twice at once (start-first update, then its node down) keeps one task", () => {
    // The update starts a new task beside the old one; the old one's node goes down before the
    // new one runs, so the restart replaces it too. SwarmKit's updater sees a slot with two
    // runnable tasks as dirty and keeps the up-to-date one desired RUNNING (useExistingTask).
    const { h } = world(1, 4);
    const s = createService(
      h,
      serviceSpec("web", (x) => {
        x.mode = { kind: "replicated", replicas: 1 };
        x.update.order = "start-first";
        x.task.restartPolicy.delayMs = 1000;
      }),
    );
    h.sim.runFor(100);
    updateService(h, s.id, (x) => (x.task.container.image = "nginx:2"));
    h.sim.runFor(100);
    const old = tasksOf(h, s.id).find((t) => t.spec.container.image !== "nginx:2")!;
    updateNode(h, old.nodeId, (x) => (x.status = { ...x.status, state: "down" }));
    h.sim.runFor(100);
    expect(runnable(tasksOf(h, s.id)).filter((t) => t.spec.container.image === "nginx:2")).toHaveLength(2);
    updateNode(h, old.nodeId, (x) => (x.status = { ...x.status, state: "ready" }));
    h.sim.runFor(60_000);
    expect(running(h, s.id).map((t) => t.spec.container.image)).toEqual(["nginx:2"]);
    expect(runnable(tasksOf(h, s.id))).toHaveLength(1);
  });

  it("keeps at most 5 tasks of history per slot", () => {
    const { h, agents } = world(8, 2);
    const s = createService(
      h,
      serviceSpec("web", (x) => (x.task.restartPolicy.delayMs = 100)),
    );
    for (let i = 0; i < 8; i++) {
      h.sim.runFor(3000);
      const r = running(h, s.id);
      if (r.length) agents.crash(r[0].id);
    }
    h.sim.runFor(3000);
    expect(tasksOf(h, s.id).length).toBe(5);
  });

  it("removing the service removes its tasks", () => {
    const { h } = world(9, 2);
    const s = createService(
      h,
      serviceSpec("web", (x) => (x.mode = { kind: "replicated", replicas: 4 })),
    );
    h.sim.runFor(3000);
    write(h.store, h.sim.now(), (tx) => tx.delete("service", s.id));
    h.sim.runFor(3000);
    expect(tasksOf(h, s.id)).toHaveLength(0);
  });
});

describe("global orchestrator", () => {
  it("runs one task per eligible node, including nodes that join later", () => {
    const { h } = world(10, 3);
    const s = createService(
      h,
      serviceSpec("agent", (x) => (x.mode = { kind: "global" })),
    );
    h.sim.runFor(3000);
    expect(
      running(h, s.id)
        .map((t) => t.nodeId)
        .sort(),
    ).toEqual(["node1", "node2", "node3"]);
    const [t] = running(h, s.id);
    expect(t.slot).toBe(0);
    expect(t.status.message).toBe("started");
    write(h.store, h.sim.now(), (tx) => tx.create("node", nodeObject("late")));
    h.sim.runFor(3000);
    expect(
      running(h, s.id)
        .map((t) => t.nodeId)
        .sort(),
    ).toEqual(["late", "node1", "node2", "node3"]);
  });

  it("honours constraints, sheds drained and down nodes, adds nothing on paused ones", () => {
    const { h, ids } = world(11, 4);
    updateNode(h, ids[3], (n) => (n.spec.labels = { gpu: "no" }));
    const s = createService(
      h,
      serviceSpec("agent", (x) => {
        x.mode = { kind: "global" };
        x.task.placement.constraints = ["node.labels.gpu!=no"];
      }),
    );
    h.sim.runFor(3000);
    expect(
      running(h, s.id)
        .map((t) => t.nodeId)
        .sort(),
    ).toEqual([ids[0], ids[1], ids[2]]);
    updateNode(h, ids[0], (n) => (n.spec.availability = "drain"));
    h.sim.runFor(3000);
    expect(
      running(h, s.id)
        .map((t) => t.nodeId)
        .sort(),
    ).toEqual([ids[1], ids[2]]);
    updateNode(h, ids[0], (n) => (n.spec.availability = "pause"));
    h.sim.runFor(3000);
    expect(runnable(tasksOf(h, s.id)).some((t) => t.nodeId === ids[0])).toBe(false);
    updateNode(h, ids[0], (n) => (n.spec.availability = "active"));
    h.sim.runFor(3000);
    expect(running(h, s.id)).toHaveLength(3);
  });

  it("restarts a failed task on its own node", () => {
    const { h, agents } = world(12, 2);
    const s = createService(
      h,
      serviceSpec("agent", (x) => (x.mode = { kind: "global" })),
    );
    h.sim.runFor(3000);
    const [t] = running(h, s.id);
    agents.crash(t.id);
    h.sim.runFor(8000);
    const again = running(h, s.id).filter((x) => x.nodeId === t.nodeId);
    expect(again).toHaveLength(1);
    expect(again[0].id).not.toBe(t.id);
  });
});

describe("allocator", () => {
  it("creates the ingress network, gives VIPs and published ports, and moves tasks to PENDING", () => {
    const { h } = world(13, 1);
    const s = createService(
      h,
      serviceSpec("web", (x) => {
        x.endpoint.ports = [{ protocol: "tcp", targetPort: 80, publishMode: "ingress" }];
      }),
    );
    h.sim.runFor(3000);
    const ingress = h.store.networks().find((n) => n.spec.ingress)!;
    expect(ingress.spec.name).toBe("ingress");
    // Docker uses 10.0.0.0/24; the simulated machines sit there, so ingress takes the next /24.
    expect(ingress.spec.ipam.subnet).toBe("10.0.1.0/24");
    const svc = h.store.get("service", s.id)!;
    expect(svc.endpoint?.ports[0].publishedPort).toBe(30000);
    expect(svc.endpoint?.virtualIPs).toEqual([{ networkId: ingress.id, addr: "10.0.1.2/24" }]);
    const [t] = running(h, s.id);
    expect(t.networks).toEqual([{ networkId: ingress.id, addresses: ["10.0.1.3/24"] }]);
    expect(t.endpoint?.ports[0].publishedPort).toBe(30000);
  });
});
