// The contracts the control plane hosts: LeaderComponents run exactly on the leader (started
// when it becomes leader, stopped when it loses leadership), and each agent feeds its
// TaskExecutor with the node's assignments and sends its status reports to the store.
import { describe, expect, it } from "vitest";
import { TaskState, type Task } from "../src/api/types";
import type { TaskExecutor } from "../src/agent/executor";
import type { TaskStatusReport } from "../src/api/dispatcher";
import { Sim } from "../src/kernel/sim";
import type { LeaderComponent, LeaderContext } from "../src/manager/component";
import { buildSwarm } from "../src/swarm/build";

class Probe implements LeaderComponent {
  readonly name = "probe";
  running = false;
  constructor(
    readonly log: string[],
    readonly machine: string,
  ) {}
  start(ctx: LeaderContext): void {
    this.running = true;
    this.log.push(`start ${ctx.machine.name}`);
  }
  stop(): void {
    this.running = false;
    this.log.push(`stop ${this.machine}`);
  }
}

class RecordingExecutor implements TaskExecutor {
  assigned: readonly Task[] = [];
  private report: ((r: TaskStatusReport) => void) | null = null;
  assign(tasks: readonly Task[]): void {
    this.assigned = tasks;
    // Report each new task as running at once.
    for (const t of tasks)
      if (t.status.state < TaskState.RUNNING)
        this.report?.({ taskId: t.id, state: TaskState.RUNNING, message: "started" });
  }
  onStatus(report: (r: TaskStatusReport) => void): void {
    this.report = report;
  }
  reportAll(): void {}
  close(): void {}
}

describe("hosting leader components and executors", () => {
  it("runs leader components only on the current leader, across a failover", () => {
    const sim = new Sim({ seed: 31 });
    const log: string[] = [];
    const probes: Probe[] = [];
    const s = buildSwarm(sim, {
      managers: 3,
      workers: 0,
      attach: {
        leaderComponents: () => {
          const p = new Probe(log, `m${probes.length}`);
          probes.push(p);
          return [p];
        },
      },
    });
    sim.runFor(2000);
    const leader = s.leader()!;
    expect(probes.filter((p) => p.running)).toHaveLength(1);
    expect(log[0]).toBe(`start ${leader.machine.name}`);
    leader.machine.crash();
    sim.runUntil(() => s.managers.some((m) => m !== leader && m.manager?.isLeader()), 60_000);
    const next = s.leader()!;
    sim.runFor(1000);
    expect(log.at(-1), log.join(",")).toBe(`start ${next.machine.name}`);
    // The crashed leader's component died with its process; exactly one runs on a live leader.
    expect(probes.filter((p) => p.running && p !== probes[0])).toHaveLength(1);
  });

  it("feeds assignments to the executor and writes its reports to the store", () => {
    const sim = new Sim({ seed: 32 });
    const executors = new Map<string, RecordingExecutor>();
    const s = buildSwarm(sim, {
      managers: 1,
      workers: 1,
      attach: {
        executorFactory: ({ machine }) => {
          const e = new RecordingExecutor();
          executors.set(machine.name, e);
          return e;
        },
      },
    });
    const w = s.workers[0];
    const m = s.managers[0].manager!;
    const now = sim.now();
    let done = false;
    m.proposer.propose(
      [
        {
          op: "create",
          type: "task",
          object: {
            id: "task00000000000000000000001",
            serviceId: "svc",
            serviceName: "svc",
            slot: 1,
            nodeId: w.nodeId,
            specVersion: 1,
            desiredState: TaskState.RUNNING,
            status: { state: TaskState.ASSIGNED, timestamp: now, message: "scheduler assigned task to node" },
            networks: [],
            version: 0,
            createdAt: now,
            updatedAt: now,
          } as unknown as Task,
        },
      ],
      () => {
        done = true;
      },
    );
    sim.runUntil(() => done, 10_000);
    sim.runFor(1000);
    expect(executors.get("worker1")!.assigned.map((t) => t.id)).toEqual(["task00000000000000000000001"]);
    expect(m.store.get("task", "task00000000000000000000001")!.status.state).toBe(TaskState.RUNNING);
    expect(executors.get("manager1")!.assigned).toEqual([]);
  });
});
