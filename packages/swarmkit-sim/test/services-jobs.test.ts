// Job services (SwarmKit orchestrator/jobs; docker service create --mode replicated-job |
// global-job): tasks that run to completion, MaxConcurrent at a time, Docker's `service ls` /
// `service ps` / progress output for them, failures restarted as on-failure, and
// `docker service update --force` running the job again (a new JobIteration).
import { describe, expect, it } from "vitest";
import { type Service, type Task, TaskState } from "../src/api/types";
import { defaultServiceSpec } from "../src/manager/orchestrator/service-defaults";
import { RestartSupervisor } from "../src/manager/orchestrator/restart-supervisor";
import { servicesSwarm } from "./support/services-swarm";

const FULL = `[${"=".repeat(50)}>]`;

function jobTasks(w: ReturnType<typeof servicesSwarm>, name: string): Task[] {
  const store = w.leaderStore();
  return store.tasksByService(store.serviceByName(name)!.id);
}

describe("replicated jobs", () => {
  it("run --replicas tasks to completion, at most --max-concurrent at a time, and print Docker's job progress", () => {
    const w = servicesSwarm("jobs-1", 1, 3);
    let peak = 0;
    w.leaderStore().events.on("commit", () => {
      const s = w.leaderStore().serviceByName("batch");
      if (!s) return;
      const going = w
        .leaderStore()
        .tasksByService(s.id)
        .filter((t) => t.status.state === TaskState.RUNNING).length;
      peak = Math.max(peak, going);
    });
    const r = w.docker(
      "docker service create --name batch --mode replicated-job --replicas 5 --max-concurrent 2 batch",
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^[0-9a-z]{25}$/);
    expect(lines[1]).toBe(`job progress: 5 out of 5 complete ${FULL}`);
    expect(lines[2]).toBe("active tasks: 0 out of 0 tasks");
    expect(lines.slice(3, 8)).toEqual([1, 2, 3, 4, 5].map((i) => `${i}/5: complete  ${FULL}`));
    expect(lines[8]).toBe("job complete");
    expect(peak).toBe(2);
    const tasks = jobTasks(w, "batch");
    expect(tasks.map((t) => t.slot).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(
      tasks.every((t) => t.status.state === TaskState.COMPLETE && t.desiredState === TaskState.COMPLETE),
    ).toBe(true);

    const ls = w.docker("docker service ls").out.split("\n");
    expect(ls[1]).toMatch(
      /^[0-9a-z]{12}\s+batch\s+replicated job\s+0\/2 \(5\/5 completed\)\s+batch:latest\s*$/,
    );
    // Slot 0 is named after its node, as the CLI names a task without a slot.
    const ps = w.docker("docker service ps batch").out.trimEnd().split("\n");
    expect(ps).toHaveLength(6);
    expect(ps[1]).toMatch(
      /^[0-9a-z]{12}\s+batch\.1\s+batch:latest\s+\S+\s+Complete\s+Complete \d+ seconds? ago\s*$/,
    );
    const slot0 = tasks.find((t) => t.slot === 0)!;
    expect(ps.some((l) => l.includes(`batch.${slot0.nodeId} `))).toBe(true);
    const inspect = JSON.parse(w.docker("docker service inspect batch").out)[0];
    expect(inspect.Spec.Mode).toEqual({ ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 5 } });
    expect(inspect.Spec.UpdateConfig).toBeUndefined();
    expect(inspect.JobStatus.JobIteration).toEqual({ Index: 0 });
  });

  it("a replicated job's defaults are the daemon's: one task, one at a time", () => {
    const w = servicesSwarm("jobs-2", 1, 1);
    w.docker("docker service create --detach --name one --mode replicated-job batch");
    const inspect = JSON.parse(w.docker("docker service inspect one").out)[0];
    expect(inspect.Spec.Mode).toEqual({ ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } });
    w.sim.runFor(10_000);
    expect(w.docker("docker service ls").out).toContain("0/1 (1/1 completed)");
  });

  it("a failed task is restarted in its slot (on-failure), a completed one never", () => {
    const w = servicesSwarm("jobs-3", 1, 2);
    w.docker(
      "docker service create --detach --name flaky --mode replicated-job --replicas 2 --restart-max-attempts 2 --restart-delay 1s broken",
    );
    w.sim.runFor(30_000);
    const tasks = jobTasks(w, "flaky");
    // Each slot: the first try and two restarts, all failed.
    for (const slot of [0, 1]) {
      const inSlot = tasks.filter((t) => t.slot === slot);
      expect(inSlot).toHaveLength(3);
      expect(inSlot.every((t) => t.status.state === TaskState.FAILED)).toBe(true);
    }
    expect(w.docker("docker service ls").out).toContain("0/2 (0/2 completed)");
  });

  it("docker service update --force runs the job again: a new iteration, the old tasks kept as history", () => {
    const w = servicesSwarm("jobs-4", 1, 2);
    w.docker("docker service create --name again --mode replicated-job --replicas 2 batch");
    const first = jobTasks(w, "again");
    expect(first.every((t) => t.jobIteration === 0 && t.status.state === TaskState.COMPLETE)).toBe(true);
    const u = w.docker("docker service update --force again");
    expect(u.code).toBe(0);
    expect(u.out.split("\n")[0]).toBe("again");
    expect(u.out).toContain("job complete\n");
    const all = jobTasks(w, "again");
    expect(all).toHaveLength(4);
    expect(all.filter((t) => t.jobIteration === 1 && t.status.state === TaskState.COMPLETE)).toHaveLength(2);
    expect(w.docker("docker service ls").out).toContain("0/2 (2/2 completed)");
    const inspect = JSON.parse(w.docker("docker service inspect again").out)[0];
    expect(inspect.JobStatus.JobIteration).toEqual({ Index: 1 });
  });

  it("scale sets a replicated job's total completions", () => {
    const w = servicesSwarm("jobs-5", 1, 2);
    w.docker("docker service create --detach --name more --mode replicated-job --replicas 1 batch");
    w.sim.runFor(10_000);
    const r = w.docker("docker service scale more=3");
    expect(r.out.split("\n")[0]).toBe("more scaled to 3");
    const inspect = JSON.parse(w.docker("docker service inspect more").out)[0];
    expect(inspect.Spec.Mode.ReplicatedJob).toEqual({ MaxConcurrent: 1, TotalCompletions: 3 });
  });
});

describe("the restart policy of a job", () => {
  it("treats `any` as `on-failure`: a completed job task is never restarted, a failed one is", () => {
    const spec = defaultServiceSpec("j", "batch");
    const service = (mode: Service["spec"]["mode"]): Service =>
      ({ id: "s", spec: { ...spec, mode }, specVersion: 1 }) as Service;
    const task = (state: TaskState): Task =>
      ({ spec: spec.task, slot: 1, nodeId: "", status: { state } }) as Task;
    const restarts = new RestartSupervisor({} as never);
    const job = service({ kind: "replicated-job", maxConcurrent: 1, totalCompletions: 1 });
    expect(restarts.shouldRestart(task(TaskState.COMPLETE), job)).toBe(false);
    expect(restarts.shouldRestart(task(TaskState.FAILED), job)).toBe(true);
    // A service that runs for good is restarted whatever way its task ended.
    expect(
      restarts.shouldRestart(task(TaskState.COMPLETE), service({ kind: "replicated", replicas: 1 })),
    ).toBe(true);
  });
});

describe("global jobs", () => {
  it("run once on every node and report per node", () => {
    const w = servicesSwarm("jobs-6", 1, 3);
    const r = w.docker("docker service create --name everywhere --mode global-job batch");
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split("\n");
    expect(lines[1]).toBe(`job progress: 4 out of 4 complete ${FULL}`);
    expect(lines.slice(2, 6).every((l) => /^[0-9a-z]{25}: complete {2}\[=+>\]$/.test(l))).toBe(true);
    expect(lines[6]).toBe("job complete");
    const tasks = jobTasks(w, "everywhere");
    expect(new Set(tasks.map((t) => t.nodeId)).size).toBe(4);
    expect(w.docker("docker service ls").out).toMatch(/everywhere\s+global job\s+0\/0 \(4\/4 completed\)/);
  });
});

describe("job flags, as the CLI checks them", () => {
  it("refuses update configuration and --replicas where Docker does", () => {
    const w = servicesSwarm("jobs-7", 1, 1);
    const a = w.docker("docker service create --mode replicated-job --update-parallelism 2 batch");
    expect(a).toMatchObject({
      code: 1,
      err: "update and rollback configuration is not supported for jobs\n",
    });
    const b = w.docker("docker service create --mode global-job --replicas 2 batch");
    expect(b.code).not.toBe(0);
    expect(b.err).toContain("replicas can only be used with replicated or replicated-job mode");
    const c = w.docker("docker service create --mode replicated --max-concurrent 2 batch");
    expect(c.err).toContain("max-concurrent can only be used with replicated-job mode");
    w.docker("docker service create --detach --name j --mode replicated-job batch");
    const d = w.docker("docker service update --replicas 3 j");
    expect(d).toMatchObject({ code: 1, err: "replicas can only be used with replicated mode\n" });
  });
});
