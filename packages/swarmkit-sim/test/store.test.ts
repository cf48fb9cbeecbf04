import { describe, expect, it } from "vitest";
import { type Network, TaskState, type Task } from "../src/api/types";
import { DirectProposer, MemoryStore, StoreError, WriteTx } from "../src/manager/store";
import { nodeObject } from "./support/services-fixtures";

function net(id: string, name: string): Omit<Network, "version" | "createdAt" | "updatedAt"> {
  return {
    id,
    spec: {
      name,
      driver: "overlay",
      labels: {},
      attachable: false,
      ingress: false,
      ipam: { subnet: "10.0.1.0/24" },
    },
  };
}

function task(id: string, serviceId: string, nodeId = ""): Omit<Task, "version" | "createdAt" | "updatedAt"> {
  return {
    id,
    serviceId,
    serviceName: "web",
    slot: 1,
    nodeId,
    spec: {
      container: { image: "nginx", env: [], stopGracePeriodMs: 10_000 },
      resources: { reservations: { nanoCPUs: 0, memoryBytes: 0 }, limits: { nanoCPUs: 0, memoryBytes: 0 } },
      restartPolicy: { condition: "any", delayMs: 5000, maxAttempts: 0, windowMs: 0 },
      placement: { constraints: [], preferences: [], maxReplicas: 0 },
      networks: [],
      forceUpdate: 0,
    },
    specVersion: 1,
    desiredState: TaskState.RUNNING,
    status: { state: TaskState.NEW, timestamp: 0, message: "created" },
    networks: [],
  };
}

describe("memory store", () => {
  it("applies a transaction atomically, bumps versions and emits events", () => {
    const store = new MemoryStore();
    const seen: string[] = [];
    store.events.on("change", (e) => seen.push(`${e.op} ${e.type} ${e.object.id}`));
    const tx = new WriteTx(store, 100);
    tx.create("network", net("n1", "front"));
    tx.create("task", task("t1", "s1"));
    store.apply(tx.actions);
    expect(store.version).toBe(1);
    expect(store.get("network", "n1")?.version).toBe(1);
    expect(store.get("network", "n1")?.createdAt).toBe(100);
    expect(seen).toEqual(["create network n1", "create task t1"]);
    expect(Object.isFrozen(store.get("task", "t1")!.spec.container)).toBe(true);
  });

  it("rejects the whole transaction on a duplicate create, leaving the store untouched", () => {
    const store = new MemoryStore();
    const p = new DirectProposer(store);
    const tx = new WriteTx(store, 0);
    tx.create("network", net("n1", "front"));
    p.propose(tx.actions, () => {});
    const tx2 = new WriteTx(store, 0);
    tx2.create("network", net("n2", "back"));
    tx2.create("network", net("n1", "again"));
    let err: Error | null = null;
    p.propose(tx2.actions, (e) => {
      err = e;
    });
    expect(err).toBeInstanceOf(StoreError);
    expect(store.get("network", "n2")).toBeUndefined();
    expect(store.version).toBe(1);
  });

  it("refuses an update written against an old version (optimistic concurrency)", () => {
    const store = new MemoryStore();
    const tx = new WriteTx(store, 0);
    tx.create("task", task("t1", "s1"));
    store.apply(tx.actions);
    const a = new WriteTx(store, 1);
    a.update("task", "t1", (t) => {
      t.desiredState = TaskState.SHUTDOWN;
    });
    const b = new WriteTx(store, 1);
    b.update("task", "t1", (t) => {
      t.desiredState = TaskState.REMOVE;
    });
    store.apply(a.actions);
    expect(() => store.apply(b.actions)).toThrow(/out of sequence/);
  });

  it("refuses a second service or network with the same name", () => {
    const store = new MemoryStore();
    const tx = new WriteTx(store, 0);
    tx.create("network", net("n1", "front"));
    tx.create("network", net("n2", "front"));
    expect(() => store.apply(tx.actions)).toThrow(/name conflicts/);
  });

  it("keeps the task indexes by service and node through updates and deletes", () => {
    const store = new MemoryStore();
    const tx = new WriteTx(store, 0);
    tx.create("node", nodeObject("nA"));
    tx.create("task", task("t1", "s1"));
    tx.create("task", task("t2", "s1", "nA"));
    store.apply(tx.actions);
    expect(
      store
        .tasksByService("s1")
        .map((t) => t.id)
        .sort(),
    ).toEqual(["t1", "t2"]);
    expect(store.tasksByNode("nA").map((t) => t.id)).toEqual(["t2"]);
    const tx2 = new WriteTx(store, 1);
    tx2.update("task", "t1", (t) => {
      t.nodeId = "nA";
    });
    tx2.delete("task", "t2");
    store.apply(tx2.actions);
    expect(store.tasksByNode("nA").map((t) => t.id)).toEqual(["t1"]);
    expect(store.tasksByService("s1").map((t) => t.id)).toEqual(["t1"]);
  });

  it("refuses to put a task on a node that is gone, but lets orphaned tasks be updated", () => {
    const store = new MemoryStore();
    const tx = new WriteTx(store, 0);
    tx.create("node", nodeObject("nA"));
    tx.create("task", task("t1", "s1", "nA"));
    tx.create("task", task("t2", "s1"));
    store.apply(tx.actions);
    // An orchestrator's pass saw nA and creates a task for it; `docker node rm` commits first.
    const pass = new WriteTx(store, 1);
    pass.create("task", task("t3", "s1", "nA"));
    const assign = new WriteTx(store, 1);
    assign.update("task", "t2", (t) => {
      t.nodeId = "nA";
    });
    const rm = new WriteTx(store, 1);
    rm.update("task", "t1", (t) => {
      t.status = { ...t.status, state: TaskState.ORPHANED };
    });
    rm.delete("node", "nA");
    store.apply(rm.actions);
    expect(() => store.apply(pass.actions)).toThrow(/node nA not found for task t3/);
    expect(() => store.apply(assign.actions)).toThrow(/node nA not found for task t2/);
    expect(store.get("task", "t3")).toBeUndefined();
    // The orphaned task still names nA and may still change.
    const reap = new WriteTx(store, 2);
    reap.update("task", "t1", (t) => {
      t.desiredState = TaskState.REMOVE;
    });
    store.apply(reap.actions);
    expect(store.get("task", "t1")?.desiredState).toBe(TaskState.REMOVE);
  });

  it("round-trips through a snapshot", () => {
    const store = new MemoryStore();
    const tx = new WriteTx(store, 0);
    tx.create("node", nodeObject("nA"));
    tx.create("task", task("t1", "s1", "nA"));
    tx.create("network", net("n1", "front"));
    store.apply(tx.actions);
    const copy = new MemoryStore();
    copy.restore(structuredClone(store.snapshot()));
    expect(copy.version).toBe(store.version);
    expect(copy.get("task", "t1")).toEqual(store.get("task", "t1"));
    expect(copy.tasksByNode("nA").length).toBe(1);
  });
});
