// The studio's timeline (lab/studio/timeline.ts): leader spans, markers for elections, status
// and engine changes and typed commands, a counter turned into a rate, and the cut a seek makes.
// Fed hand-made views (the bookkeeping alone), then a real lab's views around a leader's crash.
import { describe, expect, it } from "vitest";
import {
  type ClusterView,
  clusterView,
  commandKind,
  Lab,
  type NodeView,
  RATE_WINDOW_MS,
  Timeline,
} from "../src/index";
import { THREE_MANAGER_SWARM } from "./support/lab-lines";

function node(name: string, over: Partial<NodeView> = {}): NodeView {
  return {
    name,
    kind: "dind",
    address: "",
    engine: "running",
    swarm: "active",
    role: "manager",
    status: "ready",
    availability: "active",
    reachability: "reachable",
    raft: null,
    tasks: [],
    containers: [],
    actions: [],
    ...over,
  };
}

function view(t: number, leader: string | null, term: number, nodes: NodeView[]): ClusterView {
  return { t, clock: "", leader, term, nodes, services: [], groups: null, unreachable: [] };
}

describe("the timeline", () => {
  it("keeps who led in which term as spans, and marks elections and changes", () => {
    const tl = new Timeline();
    const n = (over: Partial<NodeView> = {}) => [node("node2", { role: "leader" }), node("node3", over)];
    tl.sample(view(0, "node2", 2, n()));
    tl.sample(view(1000, "node2", 2, n()));
    tl.sample(view(2000, null, 2, [node("node2", { engine: "stopped", exitCode: 137 }), node("node3")]));
    tl.sample(
      view(9000, "node3", 3, [
        node("node2", { engine: "stopped", exitCode: 137, status: "unknown" }),
        node("node3", { role: "leader" }),
      ]),
    );
    tl.sample(
      view(12000, "node3", 3, [
        node("node2", { engine: "stopped", exitCode: 137, status: "down" }),
        node("node3", { role: "leader" }),
      ]),
    );
    const s = tl.snapshot();
    expect(s.spans).toEqual([
      { from: 0, to: 2000, leader: "node2", term: 2 },
      { from: 2000, to: 9000, leader: null, term: 2 },
      { from: 9000, to: 12000, leader: "node3", term: 3 },
    ]);
    expect(s.events.map((e) => [e.t, e.kind, e.text])).toEqual([
      [0, "leader", "node2 leads (term 2)"],
      [2000, "no-leader", "no leader (node2 lost it, term 2)"],
      [2000, "engine", "node2: engine stopped (exit 137)"],
      [9000, "leader", "node3 leads (term 3)"],
      [9000, "status", "node2 Unknown"],
      [12000, "status", "node2 Down"],
    ]);
    expect(s.now).toBe(12000);
  });

  it("marks the commands that break, repair or change the swarm", () => {
    expect(commandKind("docker kill node2")).toBe("fault");
    expect(commandKind("  docker stop node3")).toBe("fault");
    expect(commandKind("docker network disconnect bridge node4")).toBe("fault");
    expect(commandKind("sudo systemctl stop docker")).toBe("fault");
    expect(commandKind("partition node2,node3 node4")).toBe("fault");
    expect(commandKind("docker start node2")).toBe("repair");
    expect(commandKind("heal")).toBe("repair");
    expect(commandKind("docker exec node2 docker swarm init")).toBe("change");
    expect(commandKind("docker node promote node5")).toBe("change");
    expect(commandKind("docker service scale web=3")).toBe("change");
    expect(commandKind("docker compose up -d --scale worker=2")).toBe("change");
    expect(commandKind("docker-compose down")).toBe("change");
    // Reading the join token changes nothing; nor does listing.
    expect(commandKind("T=$(docker swarm join-token -q manager)")).toBeUndefined();
    expect(commandKind("docker node ls")).toBeUndefined();
    expect(commandKind("docker ps")).toBeUndefined();
    const tl = new Timeline();
    tl.input(500, "docker kill node2", 3);
    tl.input(600, "docker ps", 4);
    // The marker goes back to just before the command: the 3 inputs before it.
    expect(tl.snapshot().events).toEqual([{ t: 500, inputs: 3, kind: "fault", text: "docker kill node2" }]);
  });

  it("turns a counter into a rate over windows of simulated time, and starts again when it restarts", () => {
    const tl = new Timeline([{ name: "DockerCoins", unit: "hashes/s", counter: () => 0 }]);
    const v = (t: number) => view(t, null, 0, []);
    tl.sample(v(0), [undefined]);
    tl.sample(v(1000), [100]);
    tl.sample(v(2000), [110]); // less than a window since the base: no point yet
    tl.sample(v(3000), [120]);
    tl.sample(v(5000), [140]);
    tl.sample(v(6000), [2]); // redis restarted: a new base
    tl.sample(v(8000), [22]);
    tl.sample(v(9000), [undefined]); // not running
    tl.sample(v(12000), [50]);
    tl.sample(v(14000), [70]);
    expect(RATE_WINDOW_MS).toBe(2000);
    expect(tl.snapshot().metrics).toEqual([
      {
        name: "DockerCoins",
        unit: "hashes/s",
        points: [
          { t: 3000, value: 10 },
          { t: 5000, value: 10 },
          { t: 8000, value: 10 },
          { t: 14000, value: 10 },
        ],
      },
    ]);
  });

  it("hands out what is new once, and a seek cuts what came after its target", () => {
    const tl = new Timeline();
    tl.sample(view(0, "node2", 2, [node("node2", { role: "leader" })]), [], 5);
    tl.input(4000, "docker ps", 5);
    tl.input(4000, "docker kill node2", 6);
    expect(tl.drain()?.events.map((e) => e.text)).toEqual(["node2 leads (term 2)", "docker kill node2"]);
    expect(tl.drain()).toBeUndefined();
    tl.sample(view(5000, null, 2, [node("node2", { engine: "stopped" })]), [], 7);
    tl.input(6000, "docker start node2", 7);
    expect(tl.drain()?.events.map((e) => e.text)).toEqual([
      "no leader (node2 lost it, term 2)",
      "node2: engine stopped",
      "docker start node2",
    ]);
    // Back to 4000, just before the kill (its 6 inputs before): it and all after never happened.
    tl.cut(4000, 6, view(4000, "node2", 2, [node("node2", { role: "leader" })]));
    const s = tl.snapshot();
    expect(s.now).toBe(4000);
    expect(s.events.map((e) => e.text)).toEqual(["node2 leads (term 2)"]);
    expect(s.spans).toEqual([{ from: 0, to: 4000, leader: "node2", term: 2 }]);
    tl.sample(view(4500, "node2", 2, [node("node2", { role: "leader" })]));
    expect(tl.snapshot().spans).toEqual([{ from: 0, to: 4500, leader: "node2", term: 2 }]);
  });

  it("on a real lab: the leader's crash, no leader, then a new leader in a higher term", () => {
    const lab = new Lab({ seed: "timeline", services: true });
    const tl = new Timeline();
    const sample = () => tl.sample(clusterView(lab));
    for (const line of THREE_MANAGER_SWARM) {
      lab.run(line);
      tl.input(lab.sim.now(), line, 0);
      sample();
    }
    lab.run("docker kill node2");
    tl.input(lab.sim.now(), "docker kill node2", 0);
    for (let i = 0; i < 40; i++) {
      lab.sim.runFor(1000);
      sample();
    }
    const s = tl.snapshot();
    const leaders = s.spans.map((x) => [x.leader, x.term]);
    expect(leaders[0]).toEqual([null, 0]);
    expect(leaders).toContainEqual(["node2", 2]);
    const last = s.spans[s.spans.length - 1];
    expect(["node3", "node4"]).toContain(last.leader);
    expect(last.term).toBeGreaterThan(2);
    const kinds = s.events.map((e) => e.kind);
    expect(kinds.indexOf("fault")).toBeLessThan(kinds.lastIndexOf("leader"));
    expect(s.events.map((e) => e.text)).toContain("node2: engine stopped (exit 137)");
  });
});
