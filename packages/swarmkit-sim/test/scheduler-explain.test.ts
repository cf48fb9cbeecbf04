// "Why this node": every scheduling decision keeps each node's verdict per filter (SwarmKit's
// names and explanation texts) and how the winner ranked; the lab's `explain TASK` shows it,
// `labExplain`/`explainTask` give it as data. Checked against the store (the chosen node is
// the task's node; a node is filtered out exactly when the filters refuse it) and bounded.
import { describe, expect, it } from "vitest";
import { TaskState } from "../src/api/types";
import { parseConstraints } from "../src/manager/constraint/constraint";
import { Allocator } from "../src/manager/allocator/allocator";
import { DecisionLog, MAX_PASSES, MAX_TASKS } from "../src/manager/scheduler/decisions";
import { explainTask, resolveTask, type TaskExplanation } from "../src/manager/scheduler/explain";
import { FILTER_NAMES } from "../src/manager/scheduler/filters";
import { GlobalOrchestrator } from "../src/manager/orchestrator/global";
import { ReplicatedOrchestrator } from "../src/manager/orchestrator/replicated";
import { Scheduler } from "../src/manager/scheduler/scheduler";
import { Lab } from "../src/lab/index";
import { labExplain } from "../src/lab/commands/explain";
import {
  addNodes,
  createService,
  harness,
  serviceSpec,
  StoreAgents,
  updateNode,
} from "./support/services-fixtures";
import { THREE_MANAGER_SWARM } from "./support/lab-lines";

function world(seed: number) {
  const decisions = new DecisionLog();
  const h = harness(seed, [
    new Allocator(),
    new Scheduler(),
    new ReplicatedOrchestrator(),
    new GlobalOrchestrator(),
  ]);
  // The components read the log from their context (a manager passes its own).
  h.ctx.decisions = decisions;
  for (const c of h.components) {
    c.stop();
    c.start(h.ctx);
  }
  addNodes(h, 4);
  updateNode(h, "node1", (n) => (n.spec.labels = { zone: "b" }));
  updateNode(h, "node2", (n) => (n.spec.labels = { zone: "a" }));
  updateNode(h, "node3", (n) => (n.spec.labels = { zone: "a" }));
  updateNode(h, "node4", (n) => (n.spec.availability = "drain"));
  new StoreAgents(h);
  return { h, decisions };
}

/** The explanation agrees with the store: the chosen node is the task's, verdicts match the filters. */
function consistent(x: TaskExplanation, constraints: string[], nodeState: (id: string) => { ok: boolean }) {
  const problems: string[] = [];
  const parsed = parseConstraints(constraints);
  for (const c of x.candidates ?? []) {
    const ready = nodeState(c.nodeId).ok;
    const fails = c.result === "filtered out";
    if (c.result === "chosen" && c.nodeId !== x.task.nodeId)
      problems.push(`${c.hostname} chosen, task on ${x.task.nodeId}`);
    if (!ready && !fails) problems.push(`${c.hostname} not ready but not filtered out`);
    if (ready && parsed.ok && constraints.length > 0) {
      const n = c.verdicts.find((v) => v.filter === "ConstraintFilter")!;
      if ((n.verdict === "fail") !== fails)
        problems.push(`${c.hostname}: ConstraintFilter ${n.verdict} but ${c.result}`);
    }
  }
  return problems;
}

describe("the scheduler's decision log", () => {
  it("keeps, per node, each filter's verdict in SwarmKit's order, and how the chosen node ranked", () => {
    const { h, decisions } = world(1);
    const s = createService(
      h,
      serviceSpec("web", (x) => {
        x.mode = { kind: "replicated", replicas: 2 };
        x.task.placement.constraints = ["node.labels.zone==a"];
      }),
    );
    h.sim.runFor(3000);
    const tasks = h.store.tasksByService(s.id);
    expect(tasks.every((t) => t.status.state === TaskState.RUNNING)).toBe(true);
    for (const t of tasks) {
      const x = explainTask(h.store, [decisions], t);
      expect(x.outcome).toBe("assigned");
      expect(x.filters.map((f) => f.name)).toEqual(FILTER_NAMES);
      expect(x.filters.filter((f) => f.enabled).map((f) => f.name)).toEqual([
        "ReadyFilter",
        "ConstraintFilter",
      ]);
      const by = new Map(x.candidates!.map((c) => [c.hostname, c]));
      expect(by.get("node1")!.result).toBe("filtered out");
      expect(by.get("node1")!.verdicts.find((v) => v.filter === "ConstraintFilter")).toMatchObject({
        verdict: "fail",
        explanation: "scheduling constraints not satisfied on 1 node",
        reason: 'node.labels.zone==a is not satisfied: the node has "b"',
      });
      // A drained node stops at the first filter; the others are not reached.
      expect(
        by
          .get("node4")!
          .verdicts.slice(0, 4)
          .map((v) => v.verdict),
      ).toEqual(["fail", "not applicable", "not applicable", "not reached"]);
      expect(by.get("node4")!.verdicts[0].explanation).toBe("1 node not available for new tasks");
      expect(by.get(x.node!.hostname)!.result).toBe("chosen");
      expect(x.ranking!.candidates).toBe(2);
      expect(
        consistent(x, ["node.labels.zone==a"], (id) => ({
          ok: h.store.get("node", id)!.spec.availability === "active",
        })),
      ).toEqual([]);
    }
    // The first task went to the node with fewer tasks of the service; the second to the other.
    const nodes = tasks.map((t) => t.nodeId);
    expect(new Set(nodes).size).toBe(2);
  });

  it("explains an unschedulable task with the filter that turned each node away", () => {
    const { h, decisions } = world(2);
    const s = createService(
      h,
      serviceSpec("nowhere", (x) => {
        x.task.placement.constraints = ["node.labels.zone==c"];
      }),
    );
    h.sim.runFor(3000);
    const t = h.store.tasksByService(s.id)[0];
    const x = explainTask(h.store, [decisions], t);
    expect(x.outcome).toBe("unschedulable");
    expect(x.message).toBe(
      "no suitable node (scheduling constraints not satisfied on 3 nodes; 1 node not available for new tasks)",
    );
    expect(x.candidates!.every((c) => c.result === "filtered out")).toBe(true);
    expect(x.ranking).toBeUndefined();
  });

  it("is bounded: the last decisions and passes only", () => {
    const { h, decisions } = world(3);
    for (let i = 0; i < 4; i++)
      createService(
        h,
        serviceSpec(`s${i}`, (x) => {
          x.mode = { kind: "replicated", replicas: 300 };
        }),
      );
    h.sim.runFor(20_000);
    expect(decisions.size.tasks).toBe(MAX_TASKS);
    expect(decisions.size.passes).toBeLessThanOrEqual(MAX_PASSES);
    // The oldest task's decision is gone; the newest is there.
    const all = [...h.store.values("task")].sort((a, b) => a.createdAt - b.createdAt);
    expect(explainTask(h.store, [decisions], all[0]).note).toMatch(/no scheduling decision is kept/);
    expect(explainTask(h.store, [decisions], all.at(-1)!).outcome).toBe("assigned");
  });

  it("resolves tasks as docker service ps names them", () => {
    const { h } = world(4);
    const s = createService(
      h,
      serviceSpec("web", (x) => (x.mode = { kind: "replicated", replicas: 2 })),
    );
    h.sim.runFor(3000);
    const t = h.store.tasksByService(s.id).find((x) => x.slot === 2)!;
    expect(resolveTask(h.store, "web.2")).toBe(t);
    expect(resolveTask(h.store, t.id.slice(0, 8))).toBe(t);
    expect(resolveTask(h.store, "web.9")).toBe("no such task: web.9");
  });
});

describe("explain in the lab", () => {
  const script = `docker swarm init
TOKEN=$(docker swarm join-token -q worker)
docker run -d --privileged --name node2 docker:dind
docker exec node2 docker swarm join --token $TOKEN 192.168.1.10:2377
docker run -d --privileged --name node3 docker:dind
docker exec node3 docker swarm join --token $TOKEN 192.168.1.10:2377
docker node update --label-add zone=a node2
docker node update --label-add zone=a node3
docker service create --detach --name web --replicas 2 --constraint node.labels.zone==a nginx
docker service create --detach --name big --reserve-memory 100g nginx
docker service create --detach --name agent --mode global nginx
sleep 10`;

  it("explain TASK shows each node's verdicts and the ranking; --json gives the same as data", () => {
    const lab = new Lab({ seed: "explain", services: true });
    expect(lab.runScript(script).failures).toEqual([]);
    const r = lab.run("explain web.1");
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^task web\.1 \([0-9a-z]{12}\) was assigned to node[23] at \d\d:\d\d:\d\d: scheduler assigned task to node$/,
    );
    expect(lines).toContain("  applied: ReadyFilter, ConstraintFilter");
    expect(lines.find((l) => l.startsWith("node1 "))).toMatch(
      /^node1\s+pass\s+fail\s+filtered out: node\.labels\.zone==a is not satisfied: the node has no value for it$/,
    );
    expect(r.stdout).toMatch(/how node[23] was ranked \(2 eligible nodes\):\n/);
    const big = lab.run("explain big.1").stdout;
    expect(big).toMatch(
      /could not be scheduled at .*: no suitable node \(insufficient resources on 3 nodes\)/,
    );
    expect(big).toMatch(
      /node2\s+pass\s+fail\s+filtered out: the task reserves 100\.00 GiB of memory; the node has [\d.]+ GiB unreserved/,
    );
    const json = JSON.parse(lab.run("explain --json web.2").stdout) as TaskExplanation;
    expect(json).toEqual(labExplain(lab, "web.2"));
    expect(json.candidates!.filter((c) => c.result !== "filtered out")).toHaveLength(2);
    // A global task arrives bound to its node: the scheduler only confirms it.
    const agent = lab.run("docker service ps -q agent").stdout.trim().split("\n")[0];
    expect(lab.run(`explain ${agent}`).stdout).toMatch(
      /was confirmed on node\d at .*: scheduler confirmed task can run on preassigned node/,
    );
  });

  it("from node1 outside the swarm its docker:dind nodes form, asks the lab's leader (the studio's task boxes)", () => {
    const lab = new Lab({ seed: "explain-3", services: true });
    for (const line of THREE_MANAGER_SWARM) lab.run(line);
    lab.run("docker exec node2 docker service create --name web --replicas 2 nginx");
    const r = lab.run("explain web.1");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^task web\.1 \(\w+\) was assigned to node[234] at /);
    expect(r.stdout).toContain("filters, in SwarmKit's order");
    // With no swarm anywhere, node1 says it is not a manager.
    expect(new Lab({ seed: "explain-4", services: true }).run("explain web.1")).toMatchObject({
      exitCode: 1,
      stderr: expect.stringContaining("This node is not a swarm manager."),
    });
  });

  it("refuses where Docker would: on a worker, for a task nobody has", () => {
    const lab = new Lab({ seed: "explain-2", services: true });
    lab.runScript(script);
    expect(lab.run("explain web.7")).toMatchObject({ exitCode: 1, stderr: "no such task: web.7\n" });
    expect(lab.run("explain")).toMatchObject({ exitCode: 2, stderr: "usage: explain [--json] TASK\n" });
    lab.run("docker exec -it node2 sh");
    expect(lab.run("explain web.1")).toMatchObject({
      exitCode: 1,
      stderr:
        "Error response from daemon: This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.\n",
    });
  });
});
