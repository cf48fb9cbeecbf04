// The executor's reportAll: what the agent sends on every new session (SwarmKit's agent
// re-reports all task statuses when it re-establishes a session, agent.go / worker.Report), so
// a status an old leader's dispatcher accepted but never wrote reaches the new leader.
import { describe, expect, it } from "vitest";
import type { TaskStatusReport } from "../src/api/dispatcher";
import { type Task, TaskState } from "../src/api/types";
import { EngineExecutor } from "../src/agent/exec/engine-executor";
import { defaultTaskSpec } from "../src/manager/orchestrator/service-defaults";
import { world } from "./engine/fixtures";

function task(id: string, desired: TaskState): Task {
  return {
    id,
    serviceId: "svc",
    serviceName: "web",
    slot: 1,
    nodeId: "node1",
    spec: defaultTaskSpec("sleeper"),
    specVersion: 1,
    desiredState: desired,
    status: { state: TaskState.ASSIGNED, timestamp: 0, message: "assigned" },
    networks: [],
    version: 1,
    createdAt: 0,
    updatedAt: 0,
  };
}

describe("engine executor: reporting every status again", () => {
  it("sends each assigned task's latest status again, and nothing for a task no longer assigned", () => {
    const { sim, engine } = world();
    const exec = new EngineExecutor(engine, { network: () => undefined });
    const reports: TaskStatusReport[] = [];
    exec.onStatus((r) => reports.push(r));
    exec.assign([
      task("run", TaskState.RUNNING),
      task("wait", TaskState.READY),
      task("gone", TaskState.RUNNING),
    ]);
    sim.runFor(1000);
    exec.assign([task("run", TaskState.RUNNING), task("wait", TaskState.READY)]);
    sim.runFor(1000);
    const last = new Map(reports.map((r) => [r.taskId, r.state]));
    expect(last.get("run")).toBe(TaskState.RUNNING);
    expect(last.get("wait")).toBe(TaskState.READY);
    reports.length = 0;
    exec.reportAll();
    expect(reports.map((r) => [r.taskId, r.state, r.message])).toEqual([
      ["run", TaskState.RUNNING, "started"],
      ["wait", TaskState.READY, "prepared"],
    ]);
  });

  it("reports nothing once closed", () => {
    const { sim, engine } = world();
    const exec = new EngineExecutor(engine, { network: () => undefined });
    const reports: TaskStatusReport[] = [];
    exec.onStatus((r) => reports.push(r));
    exec.assign([task("run", TaskState.RUNNING)]);
    sim.runFor(1000);
    exec.close();
    reports.length = 0;
    exec.reportAll();
    expect(reports).toEqual([]);
  });
});
