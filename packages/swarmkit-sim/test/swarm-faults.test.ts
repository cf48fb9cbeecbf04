// Control-plane behaviour under faults: node status from heartbeats, quorum loss and its
// error, leader failover, restart recovery, demoting the leader, --force-new-cluster.
import { describe, expect, it } from "vitest";
import type { Node } from "../src/api/types";
import { Sim } from "../src/kernel/sim";
import { NO_LEADER } from "../src/manager/leader-router";
import { CONTROL } from "../src/api/methods";
import type { SwarmNode } from "../src/node/swarm-node";
import { buildSwarm } from "../src/swarm/build";
import { docker } from "./support/swarm-cli";

function statusOf(sim: Sim, via: SwarmNode, nodeId: string): string {
  let nodes: Node[] | undefined;
  via.control<{ nodes: Node[] }>(CONTROL.listNodes, {}, (err, res) => {
    if (err) throw err;
    nodes = res!.nodes;
  });
  sim.runUntil(() => nodes !== undefined, 30_000);
  return nodes!.find((n) => n.id === nodeId)!.status.state;
}

describe("node status from heartbeats", () => {
  it("marks a crashed worker Down after period x 3, and Ready again when it returns", () => {
    const sim = new Sim({ seed: 7 });
    const s = buildSwarm(sim, { managers: 1, workers: 2 });
    sim.runFor(2000);
    const w = s.workers[0];
    expect(statusOf(sim, s.managers[0], w.nodeId)).toBe("ready");
    const lastBeat = sim.now();
    w.machine.crash();
    sim.runFor(7_000);
    expect(statusOf(sim, s.managers[0], w.nodeId)).toBe("ready");
    sim.runUntil(() => s.managers[0].manager!.store.get("node", w.nodeId)!.status.state === "down", 10_000);
    // The last heartbeat came at most one period (5.5 s) before the crash; grace is 13.5-16.5 s.
    const downAt = sim.now() - lastBeat;
    expect(downAt).toBeGreaterThanOrEqual(13_500 - 5_500);
    expect(downAt).toBeLessThanOrEqual(16_700);
    expect(s.managers[0].manager!.store.get("node", w.nodeId)!.status.message).toBe("heartbeat failure");
    w.machine.start();
    sim.runUntil(() => s.managers[0].manager!.store.get("node", w.nodeId)!.status.state === "ready", 30_000);
    expect(statusOf(sim, s.managers[0], w.nodeId)).toBe("ready");
    const ls = docker(sim, s.managers[0], "node ls");
    expect(ls.out).toMatch(/worker1\s+Ready/);
  });
});

describe("quorum", () => {
  it("fails control commands with Docker's no-leader error when a majority of managers is gone", () => {
    const sim = new Sim({ seed: 11 });
    const s = buildSwarm(sim, { managers: 3, workers: 1 });
    sim.runFor(3000);
    const leader = s.leader()!;
    const others = s.managers.filter((m) => m !== leader);
    others[0].machine.crash();
    others[1].machine.crash();
    sim.runFor(30_000);
    const r = docker(sim, leader, "node ls");
    expect(r.code).toBe(1);
    expect(r.err).toBe(`Error response from daemon: rpc error: code = Unknown desc = ${NO_LEADER}\n`);
    // The worker keeps running, and docker info on the survivor reports the error.
    expect(s.workers[0].machine.state).toBe("running");
    expect(docker(sim, leader, "info").out).toContain(
      `  Error: rpc error: code = Unknown desc = ${NO_LEADER}\n`,
    );
    // Bring one back: quorum returns and commands work again.
    others[0].machine.start();
    sim.runUntil(() => s.managers.some((m) => m.manager?.isLeader()), 60_000);
    sim.runFor(5000);
    const back = docker(sim, leader, "node ls");
    expect(back.err).toBe("");
    expect(back.code).toBe(0);
  });

  it("elects a new leader after the leader crashes, and shows it Unreachable", () => {
    const sim = new Sim({ seed: 12 });
    const s = buildSwarm(sim, { managers: 3, workers: 2 });
    sim.runFor(3000);
    const old = s.leader()!;
    old.machine.crash();
    sim.runUntil(() => s.managers.some((m) => m !== old && m.manager?.isLeader()), 60_000);
    const fresh = s.leader()!;
    expect(fresh).not.toBe(old);
    // After a leader change the old leader is Unknown for up to 6 heartbeat periods, then Down.
    sim.runFor(5_000);
    expect(docker(sim, fresh, "node ls").out).toMatch(
      new RegExp(`${old.nodeId}\\s+manager\\d\\s+Unknown\\s+Active\\s+Unreachable`),
    );
    sim.runFor(40_000);
    const ls = docker(sim, fresh, "node ls");
    expect(ls.code).toBe(0);
    expect(ls.out).toMatch(new RegExp(`${old.nodeId}\\s+manager\\d\\s+Down\\s+Active\\s+Unreachable`));
    expect(ls.out.match(/Leader/g)).toHaveLength(1);
    // Workers re-register with the new leader's dispatcher.
    for (const w of s.workers) expect(fresh.manager!.store.get("node", w.nodeId)!.status.state).toBe("ready");
  });
});

describe("membership changes", () => {
  it("refuses to demote the last manager and to remove a manager or a live node", () => {
    const sim = new Sim({ seed: 13 });
    const s = buildSwarm(sim, { managers: 1, workers: 1 });
    const m = s.managers[0];
    const d = docker(sim, m, "node demote", [m.machine.name]);
    expect(d.err).toBe(
      "Error response from daemon: rpc error: code = FailedPrecondition desc = attempting to demote the last manager of the swarm\n",
    );
    const rmM = docker(sim, m, "node rm", [m.machine.name]);
    expect(rmM.err).toBe(
      `Error response from daemon: rpc error: code = FailedPrecondition desc = node ${m.nodeId} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal\n`,
    );
    const w = s.workers[0];
    const rmW = docker(sim, m, "node rm", ["worker1"]);
    expect(rmW.err).toBe(
      `Error response from daemon: rpc error: code = FailedPrecondition desc = node ${w.nodeId} is not down and can't be removed\n`,
    );
    expect(docker(sim, m, "node rm", ["nope"]).err).toBe("Error response from daemon: node nope not found\n");
    expect(docker(sim, m, "node rm", ["worker1"], { force: true }).out).toBe("worker1\n");
    expect(m.manager!.store.get("node", w.nodeId)).toBeUndefined();
    expect(m.manager!.store.cluster()!.blacklistedCertificates[w.nodeId]).toBeGreaterThan(0);
  });

  it("demotes the leader by transferring leadership first", () => {
    const sim = new Sim({ seed: 14 });
    const s = buildSwarm(sim, { managers: 3, workers: 0 });
    sim.runFor(3000);
    const leader = s.leader()!;
    const r = docker(sim, leader, "node demote", [leader.machine.name]);
    expect(r.err).toBe("");
    sim.runUntil(() => leader.role === "worker" && !leader.manager, 120_000);
    expect(leader.role).toBe("worker");
    const next = s.leader()!;
    expect(next).toBeDefined();
    expect(next).not.toBe(leader);
    sim.runFor(5000);
    const ls = docker(sim, next, "node ls");
    expect(ls.out.match(/Leader|Reachable/g)).toHaveLength(2);
  });

  it("refuses a demotion that would lose quorum", () => {
    const sim = new Sim({ seed: 15 });
    const s = buildSwarm(sim, { managers: 3, workers: 0 });
    sim.runFor(3000);
    const leader = s.leader()!;
    const [a, b] = s.managers.filter((m) => m !== leader);
    a.machine.crash();
    sim.runFor(10_000);
    const r = docker(sim, leader, "node demote", [b.machine.name]);
    expect(r.err).toBe(
      "Error response from daemon: rpc error: code = FailedPrecondition desc = can't remove member from the raft: this would result in a loss of quorum\n",
    );
  });
});

describe("restarts", () => {
  it("recovers managers and workers from their disks", () => {
    const sim = new Sim({ seed: 16 });
    const s = buildSwarm(sim, { managers: 3, workers: 2 });
    sim.runFor(3000);
    for (const n of s.all) n.machine.crash();
    sim.runFor(5000);
    for (const n of s.all) n.machine.start();
    sim.runUntil(() => !!s.leader(), 60_000);
    // Agents back off (up to 8 s) while there is no leader, then re-register.
    sim.runFor(40_000);
    const leader = s.leader()!;
    const ls = docker(sim, leader, "node ls");
    expect(ls.out.match(/ Ready /g)).toHaveLength(5);
    expect(ls.out.match(/Leader/g)).toHaveLength(1);
  });

  it("--force-new-cluster on a surviving manager recovers the control plane, keeping the store", () => {
    const sim = new Sim({ seed: 17 });
    const s = buildSwarm(sim, { managers: 3, workers: 2 });
    sim.runFor(3000);
    const survivor = s.managers[2];
    for (const m of s.managers) if (m !== survivor) m.machine.crash();
    sim.runFor(30_000);
    expect(docker(sim, survivor, "node ls").code).toBe(1);
    const r = docker(sim, survivor, "swarm init", [], { "force-new-cluster": true });
    expect(r.err).toBe("");
    sim.runFor(40_000);
    const ls = docker(sim, survivor, "node ls");
    expect(ls.code).toBe(0);
    expect(ls.out.trimEnd().split("\n")).toHaveLength(6);
    expect(ls.out).toMatch(/manager3\s+Ready\s+Active\s+Leader/);
    expect(ls.out).toMatch(/worker1\s+Ready/);
  });
});

describe("long outages", () => {
  it("orphans the tasks of a node that stays down for 24 hours", () => {
    const sim = new Sim({ seed: 18 });
    const s = buildSwarm(sim, { managers: 1, workers: 1 });
    const m = s.managers[0].manager!;
    const w = s.workers[0];
    const now = sim.now();
    let done = false;
    m.proposer.propose(
      [
        {
          op: "create",
          type: "task",
          object: {
            id: "orphan0000000000000000001",
            serviceId: "svc",
            serviceName: "svc",
            slot: 1,
            nodeId: w.nodeId,
            specVersion: 1,
            desiredState: 512,
            status: { state: 512, timestamp: now, message: "started" },
            networks: [],
            version: 0,
            createdAt: now,
            updatedAt: now,
          } as never,
        },
      ],
      () => {
        done = true;
      },
    );
    sim.runUntil(() => done, 10_000);
    w.machine.crash();
    sim.runFor(60_000);
    expect(m.store.get("node", w.nodeId)!.status.state).toBe("down");
    sim.runFor(23 * 3_600_000);
    expect(m.store.get("task", "orphan0000000000000000001")!.status.state).toBe(512);
    sim.runFor(3_600_000);
    expect(m.store.get("task", "orphan0000000000000000001")!.status.state).toBe(832);
  });

  it("a manager that leaves with --force shows as Down and Unreachable", () => {
    const sim = new Sim({ seed: 19 });
    const s = buildSwarm(sim, { managers: 3, workers: 0 });
    sim.runFor(3000);
    const leaver = s.managers.find((m) => !m.manager!.isLeader())!;
    expect(docker(sim, leaver, "swarm leave", [], { force: true }).out).toBe("Node left the swarm.\n");
    expect(leaver.state).toBe("inactive");
    expect(leaver.machine.disk.list("swarm/")).toEqual([]);
    sim.runFor(30_000);
    const ls = docker(sim, s.leader()!, "node ls");
    expect(ls.out).toMatch(
      new RegExp(`${leaver.nodeId}\\s+${leaver.machine.name}\\s+Down\\s+Active\\s+Unreachable`),
    );
  });
});
