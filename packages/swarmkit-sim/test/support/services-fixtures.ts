// A leader's world for testing the services subsystems without the control plane: a Sim, a
// manager machine, a MemoryStore written through a DirectProposer (as SwarmKit's own
// orchestrator and scheduler tests do), nodes as the dispatcher would register them, and a
// store-level stand-in for the agents that walks assigned tasks through their states.
import type { Node, Service, ServiceSpec, Task } from "../../src/api/types";
import { TaskState } from "../../src/api/types";
import { newId } from "../../src/ca/identity";
import { Sim } from "../../src/kernel/sim";
import type { LeaderComponent, LeaderContext } from "../../src/manager/component";
import { DirectProposer, MemoryStore, WriteTx } from "../../src/manager/store";
import { defaultServiceSpec } from "../../src/manager/orchestrator/service-defaults";

export interface Harness {
  sim: Sim;
  store: MemoryStore;
  ctx: LeaderContext;
  components: LeaderComponent[];
}

export function harness(seed: number | string, components: LeaderComponent[]): Harness {
  const sim = new Sim({ seed });
  const machine = sim.addMachine("manager1");
  const store = new MemoryStore();
  const ctx: LeaderContext = {
    sim,
    machine,
    store,
    proposer: new DirectProposer(store),
    random: sim.random.fork("leader"),
    nodeId: "manager1",
  };
  for (const c of components) c.start(ctx);
  return { sim, store, ctx, components };
}

export interface NodeOptions {
  hostname?: string;
  labels?: Record<string, string>;
  state?: Node["status"]["state"];
  availability?: Node["spec"]["availability"];
  nanoCPUs?: number;
  memoryBytes?: number;
  role?: Node["role"];
  addr?: string;
}

export function nodeObject(
  id: string,
  o: NodeOptions = {},
): Omit<Node, "version" | "createdAt" | "updatedAt"> {
  const role = o.role ?? "worker";
  return {
    id,
    spec: { labels: o.labels ?? {}, desiredRole: role, availability: o.availability ?? "active" },
    role,
    description: {
      hostname: o.hostname ?? id,
      platform: { os: "linux", architecture: "x86_64" },
      resources: { nanoCPUs: o.nanoCPUs ?? 4e9, memoryBytes: o.memoryBytes ?? 8 * 2 ** 30 },
      engine: { engineVersion: "27.5.1", labels: {} },
    },
    status: { state: o.state ?? "ready", message: "", addr: o.addr ?? "10.0.0.2" },
    certificate: { role, cn: id, state: "issued" },
  };
}

export function write(store: MemoryStore, now: number, fn: (tx: WriteTx) => void): void {
  const tx = new WriteTx(store, now);
  fn(tx);
  store.apply(tx.actions);
}

export function addNodes(h: Harness, n: number, o: NodeOptions = {}, prefix = "node"): string[] {
  const ids: string[] = [];
  write(h.store, h.sim.now(), (tx) => {
    for (let i = 1; i <= n; i++) {
      const id = `${prefix}${i}`;
      ids.push(id);
      tx.create("node", nodeObject(id, { hostname: id, ...o }));
    }
  });
  return ids;
}

export function updateNode(h: Harness, id: string, fn: (n: Node) => void): void {
  write(h.store, h.sim.now(), (tx) => tx.update("node", id, fn));
}

export function serviceSpec(name: string, edit: (s: ServiceSpec) => void = () => {}): ServiceSpec {
  const s = structuredClone(defaultServiceSpec(name, "nginx:latest"));
  edit(s);
  return s;
}

export function createService(h: Harness, spec: ServiceSpec): Service {
  const id = newId(h.sim.random.fork(`svc/${spec.name}`));
  write(h.store, h.sim.now(), (tx) => tx.create("service", { id, spec, specVersion: 1 }));
  return h.store.get("service", id)!;
}

/** What `docker service update` does to the store: new spec, old one kept for rollback. */
export function updateService(h: Harness, id: string, edit: (s: ServiceSpec) => void): void {
  const next = structuredClone(h.store.get("service", id)!.spec) as ServiceSpec;
  edit(next);
  write(h.store, h.sim.now(), (tx) =>
    tx.update("service", id, (s) => {
      s.previousSpec = s.spec;
      s.spec = next;
      s.specVersion++;
      s.updateStatus = undefined;
    }),
  );
}

export function tasksOf(h: Harness, serviceId: string): Task[] {
  return h.store.tasksByService(serviceId);
}

export function running(h: Harness, serviceId: string): Task[] {
  return tasksOf(h, serviceId).filter((t) => t.status.state === TaskState.RUNNING);
}

/**
 * Agents at the store level: every `stepMs`, assigned tasks that should run move one state
 * forward (ACCEPTED ... RUNNING), and tasks asked to stop report SHUTDOWN; tasks on nodes
 * that are not ready are left alone (their agent is gone). `fail(task)` makes a task fail
 * instead of running.
 */
export class StoreAgents {
  fail: (t: Task) => boolean = () => false;
  private timer = true;

  constructor(
    private readonly h: Harness,
    private readonly stepMs = 100,
  ) {
    this.schedule();
  }

  stop(): void {
    this.timer = false;
  }

  private schedule(): void {
    this.h.sim.after(this.stepMs, () => {
      if (!this.timer) return;
      this.step();
      this.schedule();
    });
  }

  private step(): void {
    const { store, sim } = this.h;
    const tx = new WriteTx(store, sim.now());
    for (const t of store.values("task")) {
      if (!t.nodeId || t.status.state < TaskState.ASSIGNED || t.status.state > TaskState.RUNNING) continue;
      const node = store.get("node", t.nodeId);
      if (node?.status.state !== "ready") continue;
      const set = (state: TaskState, message: string, err?: string) =>
        tx.update("task", t.id, (d) => {
          d.status = { ...d.status, state, message, err, timestamp: sim.now() };
        });
      if (t.desiredState >= TaskState.SHUTDOWN) set(TaskState.SHUTDOWN, "shutdown");
      else if (t.status.state === TaskState.ASSIGNED) set(TaskState.ACCEPTED, "accepted");
      else if (t.status.state === TaskState.ACCEPTED) set(TaskState.PREPARING, "preparing");
      else if (t.status.state === TaskState.PREPARING) set(TaskState.READY, "prepared");
      else if (t.status.state === TaskState.READY && t.desiredState >= TaskState.RUNNING) {
        if (this.fail(t)) set(TaskState.FAILED, "started", "task: non-zero exit (1)");
        else set(TaskState.STARTING, "starting");
      } else if (t.status.state === TaskState.STARTING) set(TaskState.RUNNING, "started");
    }
    if (tx.actions.length) store.apply(tx.actions);
  }

  /** Makes a running task exit (as if its process died). */
  crash(taskId: string, state: TaskState = TaskState.FAILED): void {
    write(this.h.store, this.h.sim.now(), (tx) =>
      tx.update("task", taskId, (d) => {
        d.status = {
          ...d.status,
          state,
          message: "started",
          err: "task: non-zero exit (137)",
          timestamp: this.h.sim.now(),
        };
      }),
    );
  }
}
