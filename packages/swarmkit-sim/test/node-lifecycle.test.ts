// The swarm node's lifecycle as `docker info` shows it (inactive, pending, active, locked) and
// its keys on disk (src/node/keys.ts): sealed under the unlock key on a manager with autolock,
// opened by the right key only, sealed again or in the clear when the cluster's key changes.
import { describe, expect, it } from "vitest";
import { generateUnlockKey, formatUnlockKey } from "../src/ca/autolock";
import { Random } from "../src/kernel/random";
import { Sim } from "../src/kernel/sim";
import { NodeKeys } from "../src/node/keys";
import type { LocalNodeState, SwarmNode } from "../src/node/swarm-node";
import { attachSwarmNode } from "../src/swarm/attach";
import { buildSwarm } from "../src/swarm/build";

function settle<T>(sim: Sim, op: (done: (err: Error | null, res?: T) => void) => void): Error | null {
  let out: { err: Error | null } | undefined;
  op((err) => {
    out ??= { err };
  });
  sim.runUntil(() => out !== undefined, 120_000);
  return out ? out.err : new Error("no answer");
}

/** Records every state the node shows, checked after each event. */
function watch(sim: Sim, node: SwarmNode, ms: number): LocalNodeState[] {
  const seen: LocalNodeState[] = [node.state];
  sim.runUntil(() => {
    if (seen.at(-1) !== node.state) seen.push(node.state);
    return false;
  }, ms);
  return seen;
}

describe("swarm node lifecycle", () => {
  it("a worker goes inactive -> pending -> active on join, and inactive on leave", () => {
    const sim = new Sim({ seed: 3 });
    const s = buildSwarm(sim, { managers: 1, workers: 0 });
    const w = attachSwarmNode(sim, sim.addMachine("worker1"));
    expect(w.state).toBe("inactive");
    let joined: Error | null | undefined;
    w.join({ token: s.tokens.worker, remoteAddr: s.joinAddr }, (err) => {
      joined = err;
    });
    expect(w.state).toBe("pending");
    expect(watch(sim, w, 30_000)).toEqual(["pending", "active"]);
    expect(joined).toBeNull();
    expect(settle(sim, (done) => w.leave(false, done))).toBeNull();
    expect(w.state).toBe("inactive");
    expect(w.nodeId).toBe("");
  });

  it("a join refused by the CA leaves the node inactive", () => {
    const sim = new Sim({ seed: 4 });
    const s = buildSwarm(sim, { managers: 1, workers: 0 });
    const w = attachSwarmNode(sim, sim.addMachine("worker1"));
    const bad = `${s.tokens.worker.slice(0, -25)}${"a".repeat(25)}`;
    const err = settle(sim, (done) => w.join({ token: bad, remoteAddr: s.joinAddr }, done));
    expect(err?.message).toContain("A valid join token is necessary to join this cluster");
    expect(w.state).toBe("inactive");
  });

  it("an autolocked manager restarts locked, refuses a wrong key, and unlocks with the right one", () => {
    const sim = new Sim({ seed: 5 });
    const m = attachSwarmNode(sim, sim.addMachine("manager1"));
    expect(settle(sim, (done) => m.init({ autolock: true }, done))).toBeNull();
    expect(m.state).toBe("active");
    const key = m.manager!.store.cluster()!.unlockKey;
    m.machine.restart();
    expect(m.state).toBe("locked");
    expect(m.manager).toBeNull();
    const wrong = formatUnlockKey(generateUnlockKey(new Random("other")));
    expect(settle(sim, (done) => m.unlock(wrong, done))?.message).toBe(
      "swarm could not be unlocked: invalid key provided",
    );
    expect(m.state).toBe("locked");
    expect(settle(sim, (done) => m.unlock(key, done))).toBeNull();
    expect(m.state).toBe("active");
    expect(settle(sim, (done) => m.unlock(key, done))?.message).toBe("swarm is not locked");
  });

  it("a machine that halts mid-join keeps what it saved: inactive before its certificate, active after", () => {
    const sim = new Sim({ seed: 6 });
    const s = buildSwarm(sim, { managers: 1, workers: 0 });
    const early = attachSwarmNode(sim, sim.addMachine("worker1"));
    early.join({ token: s.tokens.worker, remoteAddr: s.joinAddr }, () => {});
    early.machine.crash();
    expect(early.state).toBe("inactive");
    early.machine.start();
    expect(early.state).toBe("inactive");

    const late = attachSwarmNode(sim, sim.addMachine("worker2"));
    late.join({ token: s.tokens.worker, remoteAddr: s.joinAddr }, () => {});
    sim.runUntil(() => late.nodeId !== "", 30_000);
    expect(late.state).toBe("pending");
    late.machine.crash();
    expect(late.state).toBe("active");
    late.machine.start();
    expect(watch(sim, late, 30_000)).toEqual(["active"]);
    expect(late.agent?.connected).toBe(true);
  });
});

describe("leaving while a raft join is in flight", () => {
  it("a manager that leaves during its raft join can join again as a manager", () => {
    const sim = new Sim({ seed: 8 });
    const s = buildSwarm(sim, { managers: 1, workers: 0 });
    const m = attachSwarmNode(sim, sim.addMachine("manager2"));
    m.join({ token: s.tokens.manager, remoteAddr: s.joinAddr }, () => {});
    // Until the certificate is in: the raft join starts right after.
    sim.runUntil(() => m.nodeId !== "", 30_000);
    expect(m.manager).toBeNull();
    let left: Error | null | undefined;
    m.leave(true, (err) => {
      left = err;
    });
    expect(left).toBeNull();
    sim.runFor(60_000);
    let joined: Error | null | undefined;
    m.join({ token: s.tokens.manager, remoteAddr: s.joinAddr }, (err) => {
      joined = err;
    });
    sim.runUntil(() => joined !== undefined, 60_000);
    sim.runFor(10_000);
    expect(joined).toBeNull();
    expect(m.manager).not.toBeNull();
  });
});

describe("node keys on disk", () => {
  const KEY_PEM = "-----BEGIN PRIVATE KEY-----\nfake\n-----END PRIVATE KEY-----\n";

  function keysOn(sim: Sim) {
    const m = sim.addMachine(`m${sim.machineNames().length}`);
    const rand = sim.random.fork("keys");
    let n = 0;
    return { disk: m.disk, keys: new NodeKeys(m.disk, (what) => rand.fork(`${n++}/${what}`)) };
  }

  it("a manager's keys are sealed under the unlock key; only that key opens them", () => {
    const sim = new Sim({ seed: 1 });
    const { disk, keys } = keysOn(sim);
    const kek = formatUnlockKey(generateUnlockKey(sim.random.fork("kek")));
    keys.keyPem = KEY_PEM;
    keys.ensureDek("manager");
    const dek = keys.dek;
    keys.write(kek, "manager");
    expect(JSON.stringify(disk.read("swarm/certificates/swarm-node.key"))).not.toContain("fake");
    const reread = new NodeKeys(disk, (w) => sim.random.fork(w));
    expect(reread.load()).toBe(false);
    expect(reread.keyPem).toBe("");
    expect(reread.unlock("not-a-key")?.message).toBe("invalid key string");
    expect(reread.unlock(formatUnlockKey(generateUnlockKey(sim.random.fork("x"))))?.message).toBe(
      "swarm could not be unlocked: invalid key provided",
    );
    expect(reread.unlock(kek)).toBeNull();
    expect(reread.keyPem).toBe(KEY_PEM);
    expect(reread.dek).toEqual(dek);
    expect(reread.unlockKey).toBe(kek);
  });

  it("a worker's key stays in the clear; following the cluster's key seals or unseals a manager's", () => {
    const sim = new Sim({ seed: 2 });
    const { disk, keys } = keysOn(sim);
    const kek = formatUnlockKey(generateUnlockKey(sim.random.fork("kek")));
    keys.keyPem = KEY_PEM;
    keys.write(kek, "worker");
    expect(keys.unlockKey).toBe("");
    expect(new NodeKeys(disk, (w) => sim.random.fork(w)).load()).toBe(true);
    keys.ensureDek("manager");
    expect(keys.follow("", "manager")).toBeUndefined();
    expect(keys.follow(kek, "manager")).toBe(keys.dek);
    expect(new NodeKeys(disk, (w) => sim.random.fork(w)).load()).toBe(false);
    expect(keys.follow(kek, "manager")).toBeUndefined();
    expect(keys.follow("", "manager")).toBeNull();
    const plain = new NodeKeys(disk, (w) => sim.random.fork(w));
    expect(plain.load()).toBe(true);
    expect(plain.keyPem).toBe(KEY_PEM);
  });
});
