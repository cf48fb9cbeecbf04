// The lecture: "if the node is a worker: it connects to one of the managers (leader or
// follower)". A follower proxies the agent's dispatcher session to the leader (SwarmKit's raft
// proxy wraps the Dispatcher API): the session, its heartbeats and task reports, with the
// worker's identity and address, and the leader's pushes relayed back. When the leader goes,
// the proxied heartbeats fail and the worker registers again with the next one.
import { describe, expect, it } from "vitest";
import { Sim } from "../src/kernel/sim";
import { loadState } from "../src/node/state";
import type { SwarmNode } from "../src/node/swarm-node";
import { attachSwarmNode } from "../src/swarm/attach";
import { buildSwarm } from "../src/swarm/build";
import { docker } from "./support/swarm-cli";

function joinVia(sim: Sim, name: string, token: string, manager: SwarmNode): SwarmNode {
  const n = attachSwarmNode(sim, sim.addMachine(name));
  let done: Error | null | undefined;
  n.join({ token, remoteAddr: manager.advertiseAddr }, (err) => {
    done = err;
  });
  sim.runUntil(() => done !== undefined, 60_000);
  expect(done).toBeNull();
  return n;
}

function follower(managers: SwarmNode[]): SwarmNode {
  const f = managers.find((m) => !m.manager!.isLeader());
  if (!f) throw new Error("no follower");
  return f;
}

describe("dispatcher sessions through a follower", () => {
  it("a worker that joined through a follower is Ready, with its own address, and hears the leader's updates", () => {
    const sim = new Sim({ seed: 81 });
    const s = buildSwarm(sim, { managers: 3, workers: 0 });
    const f = follower(s.managers);
    const w = joinVia(sim, "worker1", s.tokens.worker, f);
    sim.runFor(20_000);
    // The session runs through the follower and lives in the leader's dispatcher.
    expect(w.agent!.remote).toBe(f.advertiseAddr);
    expect(w.agent!.connected).toBe(true);
    const leader = s.leader()!;
    expect(leader.manager!.activeDispatcher!.sessionCount()).toBe(4);
    const node = leader.manager!.store.get("node", w.nodeId)!;
    expect(node.status.state).toBe("ready");
    // The address the leader records is the worker's, forwarded by the follower.
    expect(node.status.addr).toBe(w.advertiseAddr.split(":")[0]);
    // Heartbeats go through the follower: 30 s more and the node is still Ready.
    sim.runFor(30_000);
    expect(leader.manager!.store.get("node", w.nodeId)!.status.state).toBe("ready");
    // A push from the leader's dispatcher reaches the worker through the follower.
    expect(docker(sim, leader, "node update", ["worker1"], { availability: "drain" }).code).toBe(0);
    sim.runFor(2000);
    expect(w.agent!.node?.availability).toBe("drain");
  });

  it("a proxied session ends with the leader: the worker registers again and stays Ready", () => {
    const sim = new Sim({ seed: 82 });
    const s = buildSwarm(sim, { managers: 3, workers: 0 });
    const oldLeader = s.leader()!;
    const f = follower(s.managers);
    const w = joinVia(sim, "worker1", s.tokens.worker, f);
    sim.runFor(10_000);
    expect(w.agent!.remote).toBe(f.advertiseAddr);
    oldLeader.machine.crash();
    // The next heartbeat through the follower finds no leader to answer it (the agent's 5 s
    // deadline), the session fails, and the agent registers again once there is a new leader
    // (through the follower or the new leader: its draw).
    expect(sim.runUntil(() => s.leader() !== undefined && s.leader() !== oldLeader, 30_000)).toBe(true);
    sim.runFor(30_000);
    const leader = s.leader()!;
    expect(w.agent!.connected).toBe(true);
    expect(w.agent!.remote).not.toBe(oldLeader.advertiseAddr);
    expect(leader.manager!.store.get("node", w.nodeId)!.status.state).toBe("ready");
    const ls = docker(sim, leader, "node ls", [], { format: "{{.Hostname}} {{.Status}}" });
    expect(ls.out).toContain("worker1 Ready");
  });

  it("a follower that stops being a manager ends the sessions it proxied at once", () => {
    const sim = new Sim({ seed: 85 });
    const s = buildSwarm(sim, { managers: 3, workers: 0 });
    const f = follower(s.managers);
    const w = joinVia(sim, "worker1", s.tokens.worker, f);
    sim.runFor(10_000);
    expect(w.agent!.remote).toBe(f.advertiseAddr);
    expect(docker(sim, s.leader()!, "node demote", [f.machine.name]).code).toBe(0);
    expect(sim.runUntil(() => f.manager === null, 30_000)).toBe(true);
    // Told at once, not at its next heartbeat (up to 5.5 s later).
    sim.runFor(20);
    expect(w.agent!.connected).toBe(false);
    sim.runFor(30_000);
    expect(w.agent!.connected).toBe(true);
    expect(w.agent!.remote).not.toBe(f.advertiseAddr);
    expect(s.leader()!.manager!.store.get("node", w.nodeId)!.status.state).toBe("ready");
  });

  it("restarted workers pick their manager at random among all of them", () => {
    const sim = new Sim({ seed: 83 });
    const s = buildSwarm(sim, { managers: 3, workers: 12 });
    // They all joined through the first manager and stay with it until their session breaks.
    expect(new Set(s.workers.map((w) => w.agent!.remote))).toEqual(new Set([s.joinAddr]));
    sim.runFor(10_000);
    for (const w of s.workers) w.machine.restart();
    sim.runFor(30_000);
    const used = new Set(s.workers.map((w) => w.agent!.remote));
    // 12 draws over 3 equally weighted managers: all on one has probability 3 x (1/3)^12.
    expect(used.size).toBeGreaterThan(1);
    expect([...used].some((a) => a !== s.leader()!.advertiseAddr)).toBe(true);
    const store = s.leader()!.manager!.store;
    for (const w of s.workers) expect(store.get("node", w.nodeId)!.status.state).toBe("ready");
    expect(s.leader()!.manager!.activeDispatcher!.sessionCount()).toBe(15);
  });

  it("sessions hear a new manager list at once, not at their next heartbeat", () => {
    const sim = new Sim({ seed: 85 });
    const s = buildSwarm(sim, { managers: 1, workers: 2 });
    sim.runFor(10_000);
    const [worker] = s.workers;
    expect(loadState(worker.machine.disk)!.managers).toEqual([s.joinAddr]);
    // A manager joins; the workers' heartbeats are seconds away (period 5 s).
    const m2 = joinVia(sim, "manager2", s.tokens.manager, s.managers[0]);
    const joinedAt = sim.now();
    expect(sim.runUntil(() => loadState(worker.machine.disk)!.managers.length === 2, 5_000)).toBe(true);
    expect(sim.now() - joinedAt).toBeLessThan(1000);
    expect(loadState(worker.machine.disk)!.managers).toContain(m2.advertiseAddr);
  });

  it("a manager's agent talks to its own manager", () => {
    const sim = new Sim({ seed: 84 });
    const s = buildSwarm(sim, { managers: 3, workers: 0 });
    sim.runFor(10_000);
    for (const m of s.managers) {
      m.machine.restart();
    }
    sim.runFor(60_000);
    for (const m of s.managers) expect(m.agent!.remote).toBe(m.advertiseAddr);
    const store = s.leader()!.manager!.store;
    for (const m of s.managers) expect(store.get("node", m.nodeId)!.status.state).toBe("ready");
  });
});
