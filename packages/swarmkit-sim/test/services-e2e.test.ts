import { describe, expect, it } from "vitest";
import { TaskState } from "../src/api/types";
import { runningTasks, servicesSwarm } from "./support/services-swarm";

describe("services on a real swarm", () => {
  it("creates a service, runs its tasks as containers and lists it", () => {
    const w = servicesSwarm(1, 1, 3);
    const r = w.docker("docker service create --name web --replicas 3 nginx");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines[0]).toMatch(/^[0-9a-z]{25}$/);
    expect(lines[1]).toBe("overall progress: 3 out of 3 tasks");
    expect(lines[2]).toBe(`1/3: running   [${"=".repeat(50)}>]`);
    expect(lines.at(-1)).toBe(`verify: Service ${lines[0]} converged`);
    const store = w.leaderStore();
    const tasks = runningTasks(store, "web");
    expect(tasks).toHaveLength(3);
    // each task is a running container named <service>.<slot>.<task id>
    for (const t of tasks) {
      const host = store.get("node", t.nodeId)!.description!.hostname;
      const c = w.engines.get(host)!.find(`web.${t.slot}.${t.id}`);
      expect(c?.isRunning).toBe(true);
    }
    const ls = w.docker("docker service ls").out.split("\n");
    expect(ls[0]).toMatch(/^ID\s+NAME\s+MODE\s+REPLICAS\s+IMAGE\s+PORTS$/);
    expect(ls[1]).toMatch(/^[0-9a-z]{12}\s+web\s+replicated\s+3\/3\s+nginx:latest\s*$/);
    const ps = w.docker("docker service ps web").out.split("\n");
    expect(ps[0]).toMatch(/^ID\s+NAME\s+IMAGE\s+NODE\s+DESIRED STATE\s+CURRENT STATE\s+ERROR\s+PORTS$/);
    expect(ps[1]).toMatch(
      /^[0-9a-z]{12}\s+web\.1\s+nginx:latest\s+\S+\s+Running\s+Running \d+ seconds ago\s*$/,
    );
  });

  it("scales up and down", () => {
    const w = servicesSwarm(2, 1, 2);
    w.docker("docker service create --detach --name web --replicas 2 nginx");
    const up = w.docker("docker service scale web=5");
    expect(up.out.split("\n")[0]).toBe("web scaled to 5");
    expect(runningTasks(w.leaderStore(), "web")).toHaveLength(5);
    w.docker("docker service scale web=1");
    w.sim.runFor(5000);
    expect(runningTasks(w.leaderStore(), "web")).toHaveLength(1);
    const containers = [...w.engines.values()]
      .flatMap((e) => e.containers())
      .filter((c) => c.name.startsWith("web."));
    expect(containers).toHaveLength(1);
  });

  it("updates two at a time with a delay, and a failing update pauses then rolls back", () => {
    const w = servicesSwarm(3, 1, 3);
    w.docker(
      "docker service create --detach --name web --replicas 6 --update-parallelism 2 --update-delay 10s nginx",
    );
    w.sim.runFor(5000);
    w.docker("docker service update --detach --image nginx:2 web");
    const counts: number[] = [];
    for (let i = 0; i < 6; i++) {
      w.sim.runFor(5000);
      counts.push(
        runningTasks(w.leaderStore(), "web").filter((t) => t.spec.container.image === "nginx:2").length,
      );
    }
    expect(counts[0]).toBeLessThanOrEqual(2);
    expect(counts.at(-1)).toBe(6);
    const bad = w.docker("docker service update --image broken web");
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(
      /^service update paused: update paused due to failure or early termination of task [0-9a-z]{25}\n$/,
    );
    const rb = w.docker("docker service rollback web");
    expect(rb.code).toBe(0);
    expect(rb.out).toContain("rollback: manually requested rollback");
    // The CLI says it is rolling back, and its bars empty as the old tasks come up (progress.go
    // writeOverallProgress, stateToProgress).
    expect(rb.out).toContain("overall progress: rolling back update: 6 out of 6 tasks\n");
    expect(rb.out).toContain(`1/6: running   [>${" ".repeat(50)}]\n`);
    const store = w.leaderStore();
    expect(store.serviceByName("web")!.updateStatus?.state).toBe("rollback_completed");
    expect(runningTasks(store, "web").map((t) => t.spec.container.image)).toEqual(Array(6).fill("nginx:2"));
  });

  it("runs a global service on every node, also on a node that joins later", () => {
    const w = servicesSwarm(4, 1, 2);
    const r = w.docker("docker service create --name agent --mode global busybox");
    expect(r.code).toBe(0);
    expect(runningTasks(w.leaderStore(), "agent")).toHaveLength(3);
    w.addWorker("worker9");
    w.sim.runFor(10_000);
    const hosts = runningTasks(w.leaderStore(), "agent").map(
      (t) => w.leaderStore().get("node", t.nodeId)!.description!.hostname,
    );
    expect(hosts.sort()).toEqual(["manager1", "worker1", "worker2", "worker9"]);
  });

  it("honours constraints and drains", () => {
    const w = servicesSwarm(5, 1, 3);
    w.docker("docker service create --detach --name web --replicas 4 --constraint node.role==worker nginx");
    w.sim.runFor(5000);
    const store = w.leaderStore();
    const hostOf = (id: string) => store.get("node", id)!.description!.hostname;
    expect(runningTasks(store, "web").every((t) => hostOf(t.nodeId).startsWith("worker"))).toBe(true);
    expect(w.docker("docker node update --availability drain worker1").code).toBe(0);
    w.sim.runFor(15_000);
    const after = runningTasks(w.leaderStore(), "web");
    expect(after).toHaveLength(4);
    expect(after.some((t) => hostOf(t.nodeId) === "worker1")).toBe(false);
    expect(
      w.engines
        .get("worker1")!
        .containers()
        .filter((c) => c.isRunning),
    ).toHaveLength(0);
  });

  it("reschedules a crashed node's tasks after the heartbeat grace and the restart delay", () => {
    const w = servicesSwarm(6, 1, 3);
    w.docker("docker service create --detach --name web --replicas 3 --replicas-max-per-node 1 nginx");
    w.sim.runFor(5000);
    expect(runningTasks(w.leaderStore(), "web")).toHaveLength(3);
    const max = w.docker("docker service update --detach --replicas-max-per-node 0 web");
    expect(max.code).toBe(0);
    w.sim.runFor(5000);
    const crashedAt = w.sim.now();
    w.sim.machine("worker2").crash();
    const store = () => w.leaderStore();
    const worker2 = store()
      .nodes()
      .find((n) => n.description?.hostname === "worker2")!.id;
    const healthy = () => runningTasks(store(), "web").filter((t) => t.nodeId !== worker2);
    w.sim.runFor(8000);
    expect(healthy()).toHaveLength(2); // a heartbeat grace is at least 13.5 s after the last heartbeat
    w.sim.runUntil(() => store().get("node", worker2)!.status.state === "down", 30_000);
    const downAt = w.sim.now();
    expect(downAt - crashedAt).toBeLessThanOrEqual(16_500);
    w.sim.runFor(4500);
    expect(healthy()).toHaveLength(2); // the replacement waits for the 5 s restart delay
    w.sim.runUntil(() => healthy().length === 3, 60_000);
    expect(w.sim.now() - downAt).toBeGreaterThanOrEqual(5000);
    expect(w.sim.now() - downAt).toBeLessThan(7000);
  });

  it("with quorum lost, running tasks keep running and nothing is rescheduled until it returns", () => {
    const w = servicesSwarm(7, 3, 2);
    w.docker("docker service create --detach --name web --replicas 4 --constraint node.role==worker nginx");
    w.sim.runFor(8000);
    expect(runningTasks(w.leaderStore(), "web")).toHaveLength(4);
    w.sim.machine("manager2").crash();
    w.sim.machine("manager3").crash();
    w.sim.runFor(30_000);
    // containers keep running on the workers
    const live = () =>
      ["worker1", "worker2"].flatMap((n) =>
        w.engines
          .get(n)!
          .containers()
          .filter((c) => c.isRunning && c.name.startsWith("web.")),
      );
    expect(live()).toHaveLength(4);
    // a worker dies: nobody reschedules its tasks
    w.sim.machine("worker1").crash();
    w.sim.runFor(60_000);
    expect(live()).toHaveLength(2);
    const ls = w.docker("docker service ls");
    expect(ls.code).toBe(1);
    expect(ls.err).toBe(
      "Error response from daemon: rpc error: code = Unknown desc = The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.\n",
    );
    // quorum returns: reconciliation resumes and the 4 replicas run on the surviving worker
    w.sim.machine("manager2").restart();
    w.sim.machine("manager3").restart();
    w.sim.runUntil(() => live().length === 4, 120_000);
    expect(live()).toHaveLength(4);
  });

  it("routes a published port from every node to the tasks and resolves service names", () => {
    const w = servicesSwarm(8, 1, 2);
    const r = w.docker(
      "docker service create --name web --replicas 1 --publish 8080:80 --constraint node.hostname==worker1 nginx",
    );
    expect(r.code).toBe(0);
    expect(w.docker("docker service ls").out).toContain("*:8080->80/tcp");
    let answer = "";
    w.httpGet("worker2", 8080, (err, res) => (answer = err ? `error ${err.message}` : res!.text));
    w.sim.runFor(1000);
    expect(answer).toMatch(/^hello from [0-9a-f]{12}$/);
    // service names resolve inside the overlay to the running tasks
    const net = w.docker("docker network create -d overlay front");
    expect(net.code).toBe(0);
    w.docker("docker service create --detach --name api --replicas 2 --network front nginx");
    w.docker("docker service create --detach --name client --network front busybox");
    w.sim.runFor(8000);
    const store = w.leaderStore();
    const client = runningTasks(store, "client")[0];
    const host = store.get("node", client.nodeId)!.description!.hostname;
    const engine = w.engines.get(host)!;
    const cname = `client.1.${client.id}`;
    const apiAddrs = runningTasks(store, "api").map(
      (t) =>
        t.networks.find((n) => n.networkId === store.networkByName("front")!.id)!.addresses[0].split("/")[0],
    );
    // In VIP mode the name answers the service's VIP on that network; tasks.<name> the tasks.
    const front = store.networkByName("front")!.id;
    const vip = store.serviceByName("api")!.endpoint!.virtualIPs.find((v) => v.networkId === front)!;
    expect(engine.resolveFrom(cname, "api")).toEqual([vip.addr.split("/")[0]]);
    expect(engine.resolveFrom(cname, "tasks.api").sort()).toEqual(apiAddrs.sort());
  });

  it("deploys, lists and removes a stack", () => {
    const w = servicesSwarm(9, 1, 2);
    w.files.set(
      "docker-compose.yml",
      `
version: "3"
services:
  rng:
    image: nginx
    deploy:
      mode: global
  worker:
    image: busybox
    deploy:
      replicas: 2
  webui:
    image: nginx
    ports:
      - "8000:80"
`,
    );
    const d = w.docker("docker stack deploy -c docker-compose.yml dockercoins");
    expect(d.err).toBe("");
    expect(d.code).toBe(0);
    expect(d.out).toBe(
      "Creating network dockercoins_default\nCreating service dockercoins_rng\nCreating service dockercoins_worker\nCreating service dockercoins_webui\n",
    );
    w.sim.runFor(10_000);
    expect(w.docker("docker stack ls").out).toMatch(/^NAME\s+SERVICES\ndockercoins\s+3\n$/);
    const services = w.docker("docker stack services dockercoins").out;
    expect(services).toMatch(/dockercoins_rng\s+global\s+3\/3/);
    expect(services).toMatch(/dockercoins_worker\s+replicated\s+2\/2/);
    expect(services).toMatch(/dockercoins_webui\s+replicated\s+1\/1\s+nginx:latest\s+\*:8000->80\/tcp/);
    // inside the stack, services find each other by their short names
    const store = w.leaderStore();
    const worker = runningTasks(store, "dockercoins_worker")[0];
    const host = store.get("node", worker.nodeId)!.description!.hostname;
    const cname = `dockercoins_worker.${worker.slot}.${worker.id}`;
    expect(w.engines.get(host)!.resolveFrom(cname, "rng")).toHaveLength(1); // the VIP
    expect(w.engines.get(host)!.resolveFrom(cname, "tasks.rng")).toHaveLength(3);
    const rm = w.docker("docker stack rm dockercoins");
    expect(rm.out).toBe(
      "Removing service dockercoins_rng\nRemoving service dockercoins_webui\nRemoving service dockercoins_worker\nRemoving network dockercoins_default\n",
    );
    w.sim.runFor(15_000);
    expect(
      w
        .leaderStore()
        .list("task")
        .filter((t) => t.status.state <= TaskState.RUNNING),
    ).toHaveLength(0);
  });
});
