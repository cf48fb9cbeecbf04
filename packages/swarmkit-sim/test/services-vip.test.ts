// Service VIPs: a service name resolves to the VIP the allocator gave the service on the
// network; each connection to the VIP is balanced round-robin over the running tasks, from a
// container on any node; `tasks.<service>` keeps answering the tasks; dnsrr services have no
// VIP; a VIP with no task refuses; a process outside the overlay cannot reach a VIP.
import { describe, expect, it } from "vitest";
import { HttpClient } from "../src/engine/http/client";
import type { HttpResponse } from "../src/engine/http/message";
import type { NetError } from "../src/engine/net/errors";
import { ExchangeClient, HOST_UNREACHABLE_MS } from "../src/engine/net/exchange";
import type { ProgramContext } from "../src/engine/program";
import { runningTasks, servicesSwarm } from "./support/services-swarm";

/** A swarm whose engines can run `probe` containers, each handing its context to the test. */
function swarmWithProbes(seed: number, managers: number, workers: number) {
  const w = servicesSwarm(seed, managers, workers);
  const probes = new Map<string, ProgramContext>();
  for (const e of w.engines.values())
    e.images.register({
      name: "probe:latest",
      command: ["probe"],
      create: () => ({ start: (ctx) => void probes.set(ctx.containerName, ctx) }),
    });
  /** The probe context of a service's task (its container is named after the task). */
  const probeOf = (service: string, slot = 1): ProgramContext => {
    const t = runningTasks(w.leaderStore(), service).find((x) => x.slot === slot);
    if (!t) throw new Error(`no running task ${service}.${slot}`);
    return probes.get(`${service}.${slot}.${t.id}`)!;
  };
  return { w, probeOf };
}

/** GETs http://host/ `n` times, one connection after another; returns the answers in order. */
function getMany(w: ReturnType<typeof servicesSwarm>, ctx: ProgramContext, host: string, n: number) {
  const out: string[] = [];
  const one = (left: number) => {
    if (left === 0) return;
    ctx.http.get({ host, port: 80 }, "/", (err: NetError | undefined, res: HttpResponse | undefined) => {
      out.push(err ? `error ${err.code}` : res!.text);
      one(left - 1);
    });
  };
  one(n);
  w.sim.runFor(5000);
  return out;
}

function vipOf(w: ReturnType<typeof servicesSwarm>, service: string, network: string): string {
  const store = w.leaderStore();
  const net = store.networkByName(network)!;
  const vip = store.serviceByName(service)!.endpoint!.virtualIPs.find((v) => v.networkId === net.id);
  return vip!.addr.split("/")[0];
}

describe("service VIPs", () => {
  it("a service name resolves to its VIP; tasks.<name> to the tasks; connections go round-robin", () => {
    const { w, probeOf } = swarmWithProbes(21, 1, 2);
    expect(w.docker("docker network create -d overlay front").code).toBe(0);
    w.docker("docker service create --detach --name api --replicas 3 --network front nginx");
    w.docker("docker service create --detach --name client --replicas 2 --network front probe");
    w.sim.runFor(8000);
    const store = w.leaderStore();
    const front = store.networkByName("front")!.id;
    const taskAddrs = runningTasks(store, "api")
      .map((t) => t.networks.find((n) => n.networkId === front)!.addresses[0].split("/")[0])
      .sort();
    expect(taskAddrs).toHaveLength(3);
    const vip = vipOf(w, "api", "front");
    expect(taskAddrs).not.toContain(vip);
    for (const slot of [1, 2]) {
      const ctx = probeOf("client", slot);
      expect(ctx.lookup("api")).toEqual([vip]);
      expect(ctx.lookup("tasks.api").sort()).toEqual(taskAddrs);
      // 30 connections from this node: each of the three tasks answers ten (round-robin).
      const answers = getMany(w, ctx, "api", 30);
      const perTask = new Map<string, number>();
      for (const a of answers) perTask.set(a, (perTask.get(a) ?? 0) + 1);
      expect([...perTask.keys()].every((k) => /^hello from [0-9a-f]{12}$/.test(k))).toBe(true);
      expect([...perTask.values()]).toEqual([10, 10, 10]);
      // The client's own node need not run any of them: the VIP reaches tasks on every node.
    }
    // The two client tasks are on different nodes (spread), so both nodes balanced the VIP.
    const clientNodes = new Set(runningTasks(store, "client").map((t) => t.nodeId));
    expect(clientNodes.size).toBe(2);
  });

  it("dnsrr services answer their tasks; a VIP without tasks refuses; the host cannot reach a VIP", () => {
    const { w, probeOf } = swarmWithProbes(22, 1, 1);
    w.docker("docker network create -d overlay back");
    w.docker(
      "docker service create --detach --name rr --endpoint-mode dnsrr --replicas 2 --network back nginx",
    );
    w.docker("docker service create --detach --name idle --replicas 0 --network back nginx");
    w.docker("docker service create --detach --name client --network back probe");
    w.sim.runFor(8000);
    const store = w.leaderStore();
    expect(store.serviceByName("rr")!.endpoint!.virtualIPs).toEqual([]);
    const ctx = probeOf("client");
    expect(ctx.lookup("rr")).toHaveLength(2);
    const idleVip = vipOf(w, "idle", "back");
    expect(ctx.lookup("idle")).toEqual([idleVip]);
    expect(getMany(w, ctx, "idle", 1)).toEqual(["error ECONNREFUSED"]);
    // A process on the node itself (not on the overlay) has no route to the VIP: ARP gives up.
    const host = new HttpClient(new ExchangeClient(w.engines.get("manager1")!.hostNet()), (h) => h);
    const t0 = w.sim.now();
    let answer = "";
    let at = 0;
    host.get({ host: idleVip, port: 80 }, "/", (err) => {
      answer = err ? err.code : "answered";
      at = w.sim.now();
    });
    w.sim.runFor(5000);
    expect(answer).toBe("EHOSTUNREACH");
    expect(at - t0).toBeCloseTo(HOST_UNREACHABLE_MS, 6);
  });

  it("scaling changes the rotation at once: new tasks get connections, removed ones none", () => {
    const { w, probeOf } = swarmWithProbes(23, 1, 2);
    w.docker("docker network create -d overlay front");
    w.docker("docker service create --detach --name api --replicas 1 --network front nginx");
    w.docker("docker service create --detach --name client --network front probe");
    w.sim.runFor(8000);
    const ctx = probeOf("client");
    expect(new Set(getMany(w, ctx, "api", 6)).size).toBe(1);
    w.docker("docker service scale api=3");
    w.sim.runFor(3000);
    expect(new Set(getMany(w, ctx, "api", 6)).size).toBe(3);
    w.docker("docker service scale api=2");
    w.sim.runFor(15_000);
    expect(new Set(getMany(w, ctx, "api", 6)).size).toBe(2);
  });
});
