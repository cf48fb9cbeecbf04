// The fuzzer's checkers, each fed a broken swarm (a `bugs` switch in the component it checks)
// and seen to fail there, and to pass on the same case with the real component.
import { describe, expect, it } from "vitest";
import { drawCase } from "../src/fuzz/case";
import { runFuzzCase } from "../src/fuzz/run";
import type { FuzzBugs } from "../src/fuzz/world";
import { crashLoopCase, deposedLeaderCase } from "./fuzz-cases";

/** The case fails with the bug (a violation matching `caught`) and passes without it. */
function caughtOnlyWithBug(c: ReturnType<typeof drawCase>, bugs: FuzzBugs, caught: RegExp): void {
  const broken = runFuzzCase(c, { bugs });
  expect(broken.ok).toBe(false);
  expect(broken.violations.join("\n")).toMatch(caught);
  const real = runFuzzCase(c);
  expect(real.violations).toEqual([]);
}

describe("fuzz checkers catch broken components", () => {
  it("Raft invariants (on every manager, through the raft host's observer): a raft that does not fsync before it sends", () => {
    // Which crash loop loses a vote to an unsynced write depends on every message's timing:
    // the first of a dozen that does is the case (three did when this was written).
    const caught = /raft invariant: .*Leader Completeness/;
    const seed = [...Array(12).keys()]
      .map((i) => i + 1)
      .find((s) =>
        caught.test(runFuzzCase(crashLoopCase(s), { bugs: { skipFsync: true } }).violations.join("\n")),
      );
    expect(seed, "no crash loop of 1-12 shows a Leader Completeness violation without fsync").toBeDefined();
    caughtOnlyWithBug(crashLoopCase(seed!), { skipFsync: true }, caught);
  });

  it("linearizability of the label history: managers that answer reads without ReadIndex", () => {
    caughtOnlyWithBug(deposedLeaderCase(1), { readWithoutReadIndex: true }, /linearizability \(illegal\)/);
  });

  it("lost writes: a leader that acknowledges label writes without replicating them", () => {
    caughtOnlyWithBug(drawCase(20), { ackWithoutReplication: true }, /linearizability \(illegal\)/);
  });

  it("task states only move forward: a stale RUNNING report accepted after a task stopped", () => {
    caughtOnlyWithBug(
      drawCase(7),
      { taskStateBack: true },
      /task \w+ moved back from (shutdown|failed|complete) to running/,
    );
  });

  it("nothing placed on drained nodes: tasks moved to a drained node as they are assigned", () => {
    caughtOnlyWithBug(drawCase(14), { placeOnDrained: true }, /placed on node worker1 \(drain/);
  });

  it("no slot runs more tasks than the update policy allows: every replicated task created twice", () => {
    caughtOnlyWithBug(drawCase(1), { duplicateTasks: true }, /replica bound: s2: \d+ running > 3/);
  });

  it("no worker is served a manager-only method: managers that skip the role check", () => {
    caughtOnlyWithBug(
      drawCase(27),
      { workersServedManagerMethods: true },
      /a swarm-worker \(\w+\) was served a manager-only method/,
    );
  });

  it("certificates valid and of the node's role: a CA that renews certificates with their old role", () => {
    // Seed 24 demotes manager2: its renewal must say swarm-worker, the broken CA keeps swarm-manager.
    caughtOnlyWithBug(
      drawCase(24),
      { caRenewsStaleRole: true },
      /liveness: not live 180 s after the heal: manager2's certificate says \w+\/swarm-manager, the store \w+\/swarm-worker/,
    );
  });

  it("liveness after the heal: a heal that leaves crashed machines down", () => {
    caughtOnlyWithBug(
      drawCase(18),
      { healLeavesCrashed: true },
      /liveness: not live 180 s after the heal: manager1 is down/,
    );
  });
});
