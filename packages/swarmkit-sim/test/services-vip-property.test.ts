// Properties of the VIP load balancer and the swarm DNS records over a real store: whatever the
// tasks and their states, connections to a VIP go only to running tasks of that service on
// that network, round-robin (per node, counts differ by at most one), the name answers the VIP
// and tasks.<name> exactly the running tasks' addresses. A broken balancer fails the checker.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Task, TaskState } from "../src/api/types";
import type { NetHost } from "../src/engine/net/host";
import type { VirtualRouter } from "../src/engine/net/virtual";
import { Sim } from "../src/kernel/sim";
import { defaultServiceSpec } from "../src/manager/orchestrator/service-defaults";
import { MemoryStore, WriteTx } from "../src/manager/store";
import { storeDirectory } from "../src/network/service-directory";
import { swarmResolver } from "../src/network/swarm-resolver";
import { vipRouter } from "../src/network/vip-router";
import { fcParams } from "../src/testing/fc-params";
import { nodeObject } from "./support/services-fixtures";

const NET = "net-front";
const SUBNET = "10.0.5.0/24";
const VIP = "10.0.5.2";
const STATES = [
  TaskState.PENDING,
  TaskState.RUNNING,
  TaskState.RUNNING,
  TaskState.FAILED,
  TaskState.SHUTDOWN,
];

interface World {
  store: MemoryStore;
  running: string[];
  sim: Sim;
}

/** A store with one overlay, a service `api` with VIP 10.0.5.2 and tasks in the given states. */
function world(states: readonly TaskState[], desiredShutdown: readonly boolean[]): World {
  const sim = new Sim({ seed: 1 });
  const store = new MemoryStore();
  const tx = new WriteTx(store, 0);
  tx.create("node", nodeObject("node1"));
  tx.create("network", {
    id: NET,
    spec: {
      name: "front",
      driver: "overlay",
      labels: {},
      attachable: false,
      ingress: false,
      ipam: { subnet: SUBNET },
    },
  });
  const spec = defaultServiceSpec("api", "nginx:latest");
  spec.task.networks = [{ target: NET, aliases: ["web"] }];
  tx.create("service", {
    id: "svc-api",
    spec,
    specVersion: 1,
    endpoint: { ports: [], virtualIPs: [{ networkId: NET, addr: `${VIP}/24` }] },
  });
  const running: string[] = [];
  states.forEach((state, i) => {
    const addr = `10.0.5.${10 + i}`;
    const desired = desiredShutdown[i] ? TaskState.SHUTDOWN : TaskState.RUNNING;
    const t: Omit<Task, "version" | "createdAt" | "updatedAt"> = {
      id: `task${i}`,
      serviceId: "svc-api",
      serviceName: "api",
      slot: i + 1,
      nodeId: "node1",
      spec: spec.task,
      specVersion: 1,
      desiredState: desired,
      status: { state, timestamp: 0, message: "" },
      networks: [{ networkId: NET, addresses: [`${addr}/24`] }],
    };
    tx.create("task", t);
    if (state === TaskState.RUNNING && desired <= TaskState.RUNNING) running.push(addr);
  });
  store.apply(tx.actions);
  return { store, running, sim };
}

function containerOn(sim: Sim, address: string): NetHost {
  const machine = sim.hasMachine("node1") ? sim.machine("node1") : sim.addMachine("node1");
  return { machine, sourceAddress: address, bindAddresses: [address], meter: undefined, gate: undefined };
}

/** Checks what a router did with `n` connections from a container on the network. */
function checkBalancing(router: VirtualRouter, w: World, n: number): string | undefined {
  const from = containerOn(w.sim, "10.0.5.250");
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = router({ address: VIP, port: 80 }, from);
    if (w.running.length === 0) {
      if (r !== "refused") return `no running task, yet ${JSON.stringify(r)}`;
      continue;
    }
    if (r === undefined || r === "refused") return `connection ${i} not routed: ${r}`;
    if (r.port !== 80) return `port changed to ${r.port}`;
    if (!w.running.includes(r.address)) return `routed to ${r.address}, not a running task`;
    counts.set(r.address, (counts.get(r.address) ?? 0) + 1);
  }
  if (w.running.length === 0) return undefined;
  const per = w.running.map((a) => counts.get(a) ?? 0);
  if (Math.max(...per) - Math.min(...per) > 1) return `not round-robin: ${per.join(",")}`;
  return undefined;
}

const arbWorld = fc
  .array(fc.tuple(fc.constantFrom(...STATES), fc.boolean()), { minLength: 0, maxLength: 8 })
  .map((ts) =>
    world(
      ts.map((t) => t[0]),
      ts.map((t) => t[1] && t[0] === TaskState.RUNNING),
    ),
  );

describe("VIP load balancing and DNS records (properties)", () => {
  it("connections go round-robin over exactly the running tasks; names answer the VIP, tasks.<name> the tasks", () => {
    fc.assert(
      fc.property(arbWorld, fc.integer({ min: 1, max: 30 }), (w, n) => {
        const d = storeDirectory(() => w.store);
        expect(checkBalancing(vipRouter(d), w, n)).toBeUndefined();
        const resolve = swarmResolver(d);
        const engineNet = { name: "front" } as unknown as import("../src/engine/network").EngineNetwork;
        const origin = { containerId: "c", networks: [engineNet] };
        expect(resolve("api", origin)).toEqual([VIP]);
        expect(resolve("WEB", origin)).toEqual([VIP]);
        expect([...(resolve("tasks.api", origin) ?? [])].sort()).toEqual([...w.running].sort());
        expect(resolve("other", origin)).toBeUndefined();
        // From outside the overlay (the host, another network) the VIP is not routed.
        expect(vipRouter(d)({ address: VIP, port: 80 }, containerOn(w.sim, "172.18.0.5"))).toBeUndefined();
      }),
      fcParams(60),
    );
  });

  it("the checker fails a balancer that sends to stopped tasks or that does not rotate", () => {
    const w = world([TaskState.RUNNING, TaskState.RUNNING, TaskState.FAILED], [false, false, false]);
    const stuck: VirtualRouter = (to) => ({ address: w.running[0], port: to.port });
    expect(checkBalancing(stuck, w, 6)).toMatch(/^not round-robin/);
    const careless: VirtualRouter = (to) => ({ address: "10.0.5.12", port: to.port });
    expect(checkBalancing(careless, w, 2)).toMatch(/not a running task/);
    const none = world([TaskState.FAILED], [false]);
    expect(checkBalancing(() => undefined, none, 1)).toMatch(/no running task/);
  });
});
