// The studio's view of a lab's world (lab/studio/view.ts): every machine with its role, status,
// availability, engine state, Raft term and commit, its tasks coloured by service, who cannot
// reach whom, and the commands that act on it (actions.ts); and the view only reads: a world
// watched every 100 ms has the same trace as one nobody watches.
import { describe, expect, it } from "vitest";
import { clusterView, colourNames, Lab, machineActions, SERVICE_COLOURS } from "../src/index";

/** node1 with four docker:dind nodes: node2 founds the swarm, node3 and node4 join as managers, node5 as a worker. */
function swarmLab(seed: number | string = "studio-view"): Lab {
  const lab = new Lab({ seed, services: true });
  for (const line of [
    "docker run -d --privileged --name node2 docker:dind",
    "docker run -d --privileged --name node3 docker:dind",
    "docker run -d --privileged --name node4 docker:dind",
    "docker run -d --privileged --name node5 docker:dind",
    "docker exec node2 docker swarm init",
    "MANAGER=$(docker exec node2 docker swarm join-token -q manager)",
    "WORKER=$(docker exec node2 docker swarm join-token -q worker)",
    "docker exec node3 docker swarm join --token $MANAGER 172.17.0.2:2377",
    "docker exec node4 docker swarm join --token $MANAGER 172.17.0.2:2377",
    "docker exec node5 docker swarm join --token $WORKER 172.17.0.2:2377",
    "docker exec node2 docker service create --name web --replicas 6 nginx",
    "docker exec node2 docker service create --name api --replicas 2 nginx",
  ]) {
    const r = lab.run(line);
    expect(r.exitCode, `${line}\n${r.output}`).toBe(0);
  }
  lab.run("sleep 5");
  return lab;
}

describe("the cluster view", () => {
  it("shows node1 alone before any swarm: no role, its engine running, what can be done to it", () => {
    const lab = new Lab({ seed: 1 });
    const v = clusterView(lab);
    expect(v.leader).toBeNull();
    expect(v.term).toBe(0);
    expect(v.groups).toBeNull();
    expect(v.nodes).toEqual([
      {
        name: "node1",
        kind: "host",
        address: "192.168.1.10",
        engine: "running",
        swarm: "inactive",
        role: null,
        status: null,
        availability: null,
        reachability: null,
        raft: null,
        tasks: [],
        containers: [],
        actions: [
          { label: "stop", command: "sudo systemctl stop docker", kind: "fault" },
          { label: "partition", command: "partition node1", kind: "fault" },
        ],
      },
    ]);
  });

  it("shows roles, statuses, Raft terms and commits, and tasks by service, as docker node ls and ps say", () => {
    const lab = swarmLab();
    const v = clusterView(lab);
    expect(v.leader).toBe("node2");
    const byName = new Map(v.nodes.map((n) => [n.name, n]));
    expect(v.nodes.map((n) => [n.name, n.role, n.status, n.availability, n.engine])).toEqual([
      ["node1", null, null, null, "running"],
      ["node2", "leader", "ready", "active", "running"],
      ["node3", "manager", "ready", "active", "running"],
      ["node4", "manager", "ready", "active", "running"],
      ["node5", "worker", "ready", "active", "running"],
    ]);
    // The managers agree on the term and the commit index (the swarm is quiet); a worker runs no raft.
    const managers = ["node2", "node3", "node4"].map((n) => byName.get(n)!.raft!);
    expect(new Set(managers.map((r) => r.term))).toEqual(new Set([v.term]));
    expect(new Set(managers.map((r) => r.commit)).size).toBe(1);
    expect(managers.map((r) => r.state)).toEqual(["leader", "follower", "follower"]);
    expect(byName.get("node5")!.raft).toBeNull();
    expect(byName.get("node3")!.reachability).toBe("reachable");
    // Every replica is placed once, on a swarm node, coloured by its service.
    const tasks = v.nodes.flatMap((n) => n.tasks.map((t) => ({ ...t, node: n.name })));
    expect(
      tasks
        .filter((t) => t.service === "web")
        .map((t) => t.slot)
        .sort(),
    ).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tasks.filter((t) => t.service === "api")).toHaveLength(2);
    expect(tasks.every((t) => t.state === "running" && t.node !== "node1")).toBe(true);
    const colours = new Map(v.services.map((s) => [s.name, s.colour]));
    expect(tasks.every((t) => t.colour === colours.get(t.service))).toBe(true);
    expect(colours.get("web")).not.toBe(colours.get("api"));
    expect(v.services).toEqual([
      { name: "web", colour: colours.get("web"), running: 6, desired: 6 },
      { name: "api", colour: colours.get("api"), running: 2, desired: 2 },
    ]);
    // The same placement as docker service ps says.
    const ps = lab.run("docker exec node2 docker service ps web --format '{{.Name}} {{.Node}}'").stdout;
    const placed = ps
      .trim()
      .split("\n")
      .map((l) => l.split(" "));
    for (const [name, node] of placed) {
      const slot = Number(name.split(".")[1]);
      expect(tasks.find((t) => t.service === "web" && t.slot === slot)?.node).toBe(node);
    }
    // JSON-able: what the page gets is the view itself.
    expect(JSON.parse(JSON.stringify(v))).toEqual(v);
  });

  it("shows a killed leader's node stopped, then Down, and the new leader in a higher term", () => {
    const lab = swarmLab();
    const before = clusterView(lab);
    lab.run("docker kill node2");
    const killed = clusterView(lab);
    const node2 = killed.nodes.find((n) => n.name === "node2")!;
    expect(node2).toMatchObject({ engine: "stopped", exitCode: 137, raft: null, address: "" });
    expect(node2.actions.map((a) => a.command)).toEqual(["docker start node2"]);
    lab.run("sleep 60");
    const after = clusterView(lab);
    expect(after.leader).not.toBeNull();
    expect(["node3", "node4"]).toContain(after.leader);
    expect(after.term).toBeGreaterThan(before.term);
    expect(after.nodes.find((n) => n.name === "node2")!.status).toBe("down");
    expect(after.nodes.find((n) => n.name === after.leader)!.role).toBe("leader");
  });

  it("shows paused and disconnected engines, partitions as groups and one-way blocks as unreachable pairs", () => {
    const lab = swarmLab();
    lab.run("docker pause node3");
    lab.run("docker network disconnect bridge node4");
    let v = clusterView(lab);
    const node = (name: string) => v.nodes.find((n) => n.name === name)!;
    expect(node("node3").engine).toBe("paused");
    expect(node("node3").actions.map((a) => a.label)).toEqual(["unpause", "kill"]);
    expect(node("node4").engine).toBe("disconnected");
    expect(node("node4").actions.map((a) => a.command)).toEqual([
      "docker network connect bridge node4",
      "docker kill node4",
    ]);
    expect(v.groups).toEqual([["node1", "node2", "node3", "node5"], ["node4"]]);
    expect(v.unreachable).toContainEqual({ from: "node4", to: "node2" });
    lab.run("docker unpause node3");
    lab.run("docker network connect bridge node4");
    lab.run("partition node5");
    v = clusterView(lab);
    expect(v.groups).toEqual([["node1", "node2", "node3", "node4"], ["node5"]]);
    expect(node("node5").actions.map((a) => a.label)).toEqual([
      "stop",
      "kill",
      "pause",
      "disconnect",
      "heal",
    ]);
    lab.run("heal");
    lab.run("block node2 node3");
    v = clusterView(lab);
    expect(v.groups).toBeNull();
    expect(v.unreachable).toEqual([{ from: "node2", to: "node3" }]);
  });

  it("shows compose's containers, which are not tasks, with their service's colour", () => {
    const lab = new Lab({ seed: 2, services: true });
    lab.run("docker run -d --name web -p 8080:80 nginx");
    const v = clusterView(lab);
    expect(v.nodes[0].tasks).toEqual([]);
    expect(v.nodes[0].containers).toEqual([
      { name: "web", service: "nginx:latest", state: "running", colour: expect.any(String) },
    ]);
  });

  it("only reads: a world viewed every 100 ms has the trace of one nobody views", () => {
    const run = (watch: boolean) => {
      const lab = new Lab({ seed: "view-reads", services: true });
      const step = (line: string) => {
        lab.run(line);
        if (watch) for (let i = 0; i < 10; i++) clusterView(lab);
      };
      step("docker run -d --privileged --name node2 docker:dind");
      step("docker run -d --privileged --name node3 docker:dind");
      step("docker exec node2 docker swarm init");
      step("T=$(docker exec node2 docker swarm join-token -q manager)");
      step("docker exec node3 docker swarm join --token $T 172.17.0.2:2377");
      for (let i = 0; i < 30; i++) {
        lab.sim.runFor(100);
        if (watch) clusterView(lab);
      }
      step("docker kill node3");
      lab.sim.runFor(5000);
      return lab.sim.trace.hash();
    };
    expect(run(true)).toBe(run(false));
  });
});

describe("machine actions", () => {
  it("offers what makes sense in each state, as the lab command that does it", () => {
    const dind = (engine: "running" | "stopped" | "paused" | "disconnected", partitioned = false) =>
      machineActions({ name: "node3", kind: "dind", engine, partitioned }).map((a) => a.command);
    expect(dind("running")).toEqual([
      "docker stop node3",
      "docker kill node3",
      "docker pause node3",
      "docker network disconnect bridge node3",
      "partition node3",
    ]);
    expect(dind("running", true)).toEqual([
      "docker stop node3",
      "docker kill node3",
      "docker pause node3",
      "docker network disconnect bridge node3",
      "heal",
    ]);
    expect(dind("stopped")).toEqual(["docker start node3"]);
    expect(dind("paused")).toEqual(["docker unpause node3", "docker kill node3"]);
    expect(dind("disconnected", true)).toEqual(["docker network connect bridge node3", "docker kill node3"]);
    expect(machineActions({ name: "node1", kind: "host", engine: "stopped", partitioned: false })).toEqual([
      { label: "start", command: "sudo systemctl start docker", kind: "repair" },
    ]);
  });

  it("every command an action types is one the lab takes, and leads to the state that offers its undoing", () => {
    const lab = new Lab({ seed: 3 });
    lab.run("docker run -d --privileged --name node2 docker:dind");
    const offered = () => clusterView(lab).nodes.flatMap((n) => n.actions.map((a) => a.command));
    const act = (command: string) => {
      expect(offered(), `before ${command}`).toContain(command);
      const r = lab.run(command);
      expect(r.exitCode, `${command}: ${r.stdout}${r.stderr}`).toBe(0);
    };
    for (const [fault, repair] of [
      ["docker stop node2", "docker start node2"],
      ["docker kill node2", "docker start node2"],
      ["docker pause node2", "docker unpause node2"],
      ["docker network disconnect bridge node2", "docker network connect bridge node2"],
      ["partition node2", "heal"],
      ["partition node1", "heal"],
      ["sudo systemctl stop docker", "sudo systemctl start docker"],
    ]) {
      act(fault);
      act(repair);
    }
  });
});

describe("service colours", () => {
  it("gives each name its own colour while there are colours, and keeps a name's colour", () => {
    const names = Array.from({ length: SERVICE_COLOURS.length }, (_, i) => `svc${i}`);
    const all = colourNames(names);
    expect(new Set(all.values()).size).toBe(SERVICE_COLOURS.length);
    // A name keeps its colour when the ones after it change.
    expect(colourNames(names.slice(0, 3)).get("svc1")).toBe(all.get("svc1"));
  });
});
