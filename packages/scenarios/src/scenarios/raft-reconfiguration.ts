// "Dynamic reconfiguration of Raft without interrupting cluster operations": while a client
// writes to the cluster store twice a second (through node2, a manager throughout), two
// workers are promoted and two managers demoted, the leader among them. Raft's membership
// goes 3 → 4 → 5 → 4 → 3 members; every write must commit, and at every 100 ms sample
// exactly one manager must lead.
import { type SwarmNode, swarmOf } from "@swarm-sim/swarmkit-sim";
import { proposeProbe } from "../experiments/probe-write";
import { quantile, round } from "../experiments/stats";
import type { Scenario } from "../scenario";
import { type Checks, checkedResult } from "./checks";
import { LabSession, parseNodeLs } from "./lab-steps";

const NODES = ["node1", "node2", "node3", "node4", "node5"];
const SAMPLE_MS = 100;
const WRITE_EVERY = 5; // samples: one write every 500 ms

/** The role changes, as typed on node1 (the last one demotes node1 itself, the leader). */
export const ROLE_CHANGES = [
  "docker node promote node4",
  "docker node promote node5",
  "docker node demote node3",
  "docker node demote node1",
];

export interface RaftReconfigRun {
  writes: number;
  committed: number;
  failures: string[];
  commitMs: { p50: number | null; max: number | null };
  samples: number;
  singleLeaderSamples: number;
  /** The leaders seen, in order. */
  leaders: string[];
  /** Raft's member list (hostnames, sorted) each time it changed, as the leader saw it. */
  memberships: string[][];
  commands: { line: string; exitCode: number; out: string }[];
  /** MANAGER STATUS per hostname in `docker node ls` at the end (run on node2). */
  finalManagerStatus: Record<string, string>;
  traceHash: string;
}

/** Writes and samples in the background, on the simulation's own clock. */
class Observer {
  writes = 0;
  committed = 0;
  readonly failures: string[] = [];
  readonly commitMs: number[] = [];
  samples = 0;
  singleLeader = 0;
  readonly leaders: string[] = [];
  readonly memberships: string[][] = [];
  private running = true;

  constructor(
    private readonly s: LabSession,
    private readonly writer: SwarmNode,
  ) {
    s.lab.sim.after(0, () => this.tick());
  }

  stop(): void {
    this.running = false;
  }

  private node(name: string): SwarmNode {
    return swarmOf(this.s.lab.node(name))!;
  }

  private tick(): void {
    if (!this.running) return;
    const sim = this.s.lab.sim;
    const leading = NODES.filter((n) => this.node(n).manager?.isLeader());
    this.samples++;
    if (leading.length === 1) {
      this.singleLeader++;
      if (this.leaders.at(-1) !== leading[0]) this.leaders.push(leading[0]);
      this.recordMembers(this.node(leading[0]));
    }
    if (this.samples % WRITE_EVERY === 0) {
      const t0 = sim.now();
      const sent = proposeProbe(this.writer, String(this.samples), (err) => {
        if (err) this.failures.push(err.message);
        else {
          this.committed++;
          this.commitMs.push(sim.now() - t0);
        }
      });
      this.writes++;
      if (!sent) this.failures.push("not sent: node2 has no manager");
    }
    sim.after(SAMPLE_MS, () => this.tick());
  }

  private recordMembers(leader: SwarmNode): void {
    const byId = new Map(NODES.map((n) => [this.node(n).nodeId, n]));
    const members = leader
      .manager!.consensus.members()
      .map((m) => byId.get(m.nodeId) ?? m.nodeId)
      .sort();
    if (members.join() !== this.memberships.at(-1)?.join()) this.memberships.push(members);
  }
}

/** `changes` defaults to ROLE_CHANGES; a test passes [] for a run in which nothing changes. */
export function runRaftReconfiguration(
  seed: number,
  changes: readonly string[] = ROLE_CHANGES,
): RaftReconfigRun {
  const s = new LabSession({ seed });
  s.must("docker swarm init");
  for (const n of ["node2", "node3"]) s.addNode(n, "manager");
  for (const n of ["node4", "node5"]) s.addNode(n, "worker");
  s.run("sleep 10");
  const observer = new Observer(s, swarmOf(s.lab.node("node2"))!);
  s.run("sleep 5");
  const commands = changes.map((line) => {
    const step = s.run(line);
    s.run("sleep 10");
    return { line, exitCode: step.exitCode, out: (step.stdout + step.stderr).trim() };
  });
  s.run("sleep 20");
  observer.stop();
  const finalManagerStatus = Object.fromEntries(
    parseNodeLs(s.run("docker exec node2 docker node ls").stdout).map((n) => [n.hostname, n.managerStatus]),
  );
  const run: Omit<RaftReconfigRun, "traceHash"> = {
    writes: observer.writes,
    committed: observer.committed,
    failures: observer.failures,
    commitMs: {
      p50: round(quantile(observer.commitMs, 0.5), 2),
      max: round(quantile(observer.commitMs, 1), 2),
    },
    samples: observer.samples,
    singleLeaderSamples: observer.singleLeader,
    leaders: observer.leaders,
    memberships: observer.memberships,
    commands,
    finalManagerStatus,
  };
  s.lab.sim.trace.record("scenario.raft-reconfiguration", { ...run });
  return { ...run, traceHash: s.traceHash() };
}

export function raftReconfigurationChecks(r: RaftReconfigRun): Checks {
  const sizes = r.memberships.map((m) => m.length);
  const status = r.finalManagerStatus;
  return {
    roleChangesAccepted: r.commands.length > 0 && r.commands.every((c) => c.exitCode === 0),
    membershipChanged: sizes.join() === "3,4,5,4,3",
    everyWriteCommitted: r.writes >= 100 && r.committed === r.writes && r.failures.length === 0,
    oneLeaderAtEverySample: r.samples > 0 && r.singleLeaderSamples === r.samples,
    nodeLsShowsNewManagers:
      ["node2", "node4", "node5"].every((n) => ["Leader", "Reachable"].includes(status[n])) &&
      status.node1 === "" &&
      status.node3 === "",
  };
}

export const raftReconfiguration: Scenario = {
  name: "raft-reconfiguration",
  section: "SwarmKit features",
  claim: "Dynamic reconfiguration of Raft without interrupting cluster operations",
  defaultSeed: 1,
  run(seed) {
    const r = runRaftReconfiguration(seed);
    const checks = raftReconfigurationChecks(r);
    return checkedResult(
      this.name,
      seed,
      r.traceHash,
      checks,
      {
        writes: r.writes,
        committed: r.committed,
        commitMs: r.commitMs,
        samples: r.samples,
        singleLeaderSamples: r.singleLeaderSamples,
        leaders: r.leaders,
        memberships: r.memberships,
      },
      `promote node4, node5, demote node3 and the leader ${r.leaders[0]} while node2 writes every 500 ms: raft members ${r.memberships.map((m) => m.length).join(" → ")}, ${r.committed} of ${r.writes} writes committed (max ${r.commitMs.max} ms), exactly one leader in ${r.singleLeaderSamples}/${r.samples} samples (${r.leaders.join(" → ")})`,
    );
  },
};
