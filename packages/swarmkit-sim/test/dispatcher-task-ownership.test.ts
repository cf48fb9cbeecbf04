// SwarmKit's dispatcher checks who is asking (dispatcher.go UpdateTaskStatus, nodeStore
// GetWithSession): a node may report only on tasks assigned to it (one report on another
// node's task refuses the whole request with PermissionDenied), a node with no session is
// "node not registered" (NotFound) and a stale session is "session invalid" (InvalidArgument).
import { describe, expect, it } from "vitest";
import { TaskState } from "../src/api/types";
import type { SwarmNode } from "../src/node/swarm-node";
import { callManager, outcome } from "./support/manager-call";
import { servicesSwarm } from "./support/services-swarm";

function callAs(node: SwarmNode, to: SwarmNode, method: string, body: unknown): string {
  return outcome(callManager(node.machine.sim, node.machine, to, method, node, body));
}

describe("the dispatcher checks who reports", () => {
  it("refuses a report on another node's task, and keeps the task's state", () => {
    const h = servicesSwarm(61, 1, 2);
    expect(
      h.docker("docker service create --name web --replicas 2 --constraint node.role==worker nginx:latest")
        .code,
    ).toBe(0);
    h.sim.runFor(20_000);
    const [w1, w2] = h.swarm.workers;
    const leader = h.swarm.leader()!;
    const store = leader.manager!.store;
    const theirs = store.tasksByNode(w2.nodeId).find((t) => t.status.state === TaskState.RUNNING)!;
    expect(theirs).toBeDefined();
    // w1 calls with its own live session, as a compromised worker could.
    const sessionId = (
      leader.manager!.activeDispatcher as unknown as { sessions: Map<string, { sessionId: string }> }
    ).sessions.get(w1.nodeId)!.sessionId;
    const report = { taskId: theirs.id, state: TaskState.FAILED, message: "forged" };
    expect(callAs(w1, leader, "Dispatcher.UpdateTaskStatus", { sessionId, updates: [report] })).toBe(
      "PermissionDenied: cannot update a task not assigned this node",
    );
    h.sim.runFor(1000);
    expect(store.get("task", theirs.id)!.status.state).toBe(TaskState.RUNNING);
    // A stale session: invalid; no session at all (a node the dispatcher does not know): not registered.
    expect(callAs(w1, leader, "Dispatcher.Heartbeat", { sessionId: "stale" })).toBe(
      "InvalidArgument: session invalid",
    );
    expect(callAs(w1, leader, "Dispatcher.UpdateTaskStatus", { sessionId: "stale", updates: [] })).toBe(
      "InvalidArgument: session invalid",
    );
  });
});

describe("the dispatcher keeps a task's furthest reported state", () => {
  it("a late copy of an older report does not replace a newer one still queued", () => {
    const h = servicesSwarm(62, 1, 1);
    expect(
      h.docker("docker service create --name web --replicas 1 --constraint node.role==worker nginx:latest")
        .code,
    ).toBe(0);
    h.sim.runFor(20_000);
    const [w1] = h.swarm.workers;
    const leader = h.swarm.leader()!;
    const store = leader.manager!.store;
    const task = store.tasksByNode(w1.nodeId).find((t) => t.status.state === TaskState.RUNNING)!;
    expect(task).toBeDefined();
    const sessionId = (
      leader.manager!.activeDispatcher as unknown as { sessions: Map<string, { sessionId: string }> }
    ).sessions.get(w1.nodeId)!.sessionId;
    // FAILED, then (a retried call delivered late) the RUNNING the store already has: both
    // reach the dispatcher within one status batch.
    const failed = {
      taskId: task.id,
      state: TaskState.FAILED,
      message: "started",
      err: "task: non-zero exit (1)",
    };
    const stale = { taskId: task.id, state: TaskState.RUNNING, message: "started" };
    callManager(h.sim, w1.machine, leader, "Dispatcher.UpdateTaskStatus", w1, {
      sessionId,
      updates: [failed],
    });
    callManager(h.sim, w1.machine, leader, "Dispatcher.UpdateTaskStatus", w1, {
      sessionId,
      updates: [stale],
    });
    h.sim.runFor(2000);
    expect(store.get("task", task.id)!.status.state).toBeGreaterThanOrEqual(TaskState.FAILED);
  });
});
