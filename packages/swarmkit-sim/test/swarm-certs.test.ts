// Certificates over time: renewal at 50-80 % of validity on the node's clock, new roles after
// promotion, the 12-hour network key rotation, and the cluster settings that govern them.
import { describe, expect, it } from "vitest";
import { certificateInfo } from "../src/ca/certificate";
import { Sim } from "../src/kernel/sim";
import type { StoredKeyRing } from "../src/manager/key-manager";
import { attachSwarmNode } from "../src/swarm/attach";
import { buildSwarm } from "../src/swarm/build";
import { docker } from "./support/swarm-cli";

const HOUR = 3_600_000;

describe("certificate renewal", () => {
  it("renews every node's certificate before it expires, and nodes stay Ready", () => {
    const sim = new Sim({ seed: 21 });
    const s = buildSwarm(sim, { managers: 3, workers: 2 });
    const leader = s.leader()!;
    expect(docker(sim, leader, "swarm update", [], { "cert-expiry": 3_600_000 }).out).toBe(
      "Swarm updated.\n",
    );
    // Certificates issued before the change keep their 90 days; force fresh 1 h ones.
    for (const n of s.all) {
      let done = false;
      n.renew(() => {
        done = true;
      });
      sim.runUntil(() => done, 30_000);
    }
    const first = new Map(s.all.map((n) => [n, n.certificate]));
    for (const n of s.all) {
      const i = certificateInfo(n.certificate, sim.epochMs);
      expect(i.notAfter - i.notBefore).toBe(2 * HOUR); // 1 h backdate + 1 h validity
    }
    for (let h = 0; h < 6; h++) {
      sim.runFor(HOUR);
      for (const n of s.all) {
        const i = certificateInfo(n.certificate, sim.epochMs);
        expect(i.notAfter, `${n.machine.name} at hour ${h + 1}`).toBeGreaterThan(sim.now());
      }
    }
    for (const n of s.all) expect(n.certificate).not.toBe(first.get(n));
    const ls = docker(sim, s.leader()!, "node ls");
    expect(ls.out.match(/ Ready /g)).toHaveLength(5);
  });

  it("refuses a certificate expiry below one hour", () => {
    const sim = new Sim({ seed: 22 });
    const s = buildSwarm(sim, { managers: 1, workers: 0 });
    expect(docker(sim, s.managers[0], "swarm update", [], { "cert-expiry": 1_800_000 }).err).toBe(
      "Error response from daemon: rpc error: code = InvalidArgument desc = minimum certificate expiry time is: 1h0m0s\n",
    );
  });

  it("gives a promoted node a manager certificate and a demoted one a worker certificate", () => {
    const sim = new Sim({ seed: 23 });
    const s = buildSwarm(sim, { managers: 1, workers: 1 });
    const w = s.workers[0];
    expect(certificateInfo(w.certificate, sim.epochMs).role).toBe("swarm-worker");
    docker(sim, s.managers[0], "node promote", ["worker1"]);
    sim.runUntil(() => w.manager?.hasLeader() === true, 60_000);
    const info = certificateInfo(w.certificate, sim.epochMs);
    expect(info.role).toBe("swarm-manager");
    expect(info.nodeId).toBe(w.nodeId);
    expect(info.clusterId).toBe(s.managers[0].clusterId);
    docker(sim, s.managers[0], "node demote", ["worker1"]);
    sim.runUntil(() => w.manager === null && w.role === "worker", 60_000);
    expect(certificateInfo(w.certificate, sim.epochMs).role).toBe("swarm-worker");
    // Its raft data is gone.
    expect(w.machine.disk.list("swarm/raft/")).toEqual([]);
  });
});

describe("key manager", () => {
  it("rotates the network keys every 12 hours of simulated time", () => {
    const sim = new Sim({ seed: 24 });
    const s = buildSwarm(sim, { managers: 3, workers: 0 });
    const ring = () => s.leader()!.manager!.store.cluster()!.networkBootstrapKeys as StoredKeyRing;
    sim.runFor(1000);
    expect(ring().ring.keys).toHaveLength(6);
    expect(ring().rotations).toBe(0);
    sim.runFor(12 * HOUR);
    expect(ring().rotations).toBe(1);
    sim.runFor(12 * HOUR);
    expect(ring().rotations).toBe(2);
    // Every manager holds the same ring (it is in the replicated store).
    const keys = JSON.stringify(ring().ring.keys.map((k) => k.lamportTime));
    for (const m of s.managers) {
      const r = m.manager!.store.cluster()!.networkBootstrapKeys as StoredKeyRing;
      expect(JSON.stringify(r.ring.keys.map((k) => k.lamportTime))).toBe(keys);
    }
  });
});

describe("join tokens", () => {
  it("rotates the manager token; the printed command uses the new one", () => {
    const sim = new Sim({ seed: 25 });
    const n = attachSwarmNode(sim, sim.addMachine("node1"));
    docker(sim, n, "swarm init");
    const before = n.manager!.store.cluster()!.rootCA.joinTokens;
    const r = docker(sim, n, "swarm join-token", ["manager"], { rotate: true });
    const after = n.manager!.store.cluster()!.rootCA.joinTokens;
    expect(after.manager).not.toBe(before.manager);
    expect(after.worker).toBe(before.worker);
    expect(r.out).toBe(
      `Successfully rotated manager join token.\n\nTo add a manager to this swarm, run the following command:\n\n    docker swarm join --token ${after.manager} ${n.advertiseAddr}\n\n`,
    );
  });
});

describe("root CA rotation", () => {
  it("rotates the root: every node gets a certificate from the new CA, tokens change, old token refused", () => {
    const sim = new Sim({ seed: 26 });
    const s = buildSwarm(sim, { managers: 3, workers: 3 });
    const leader = s.leader()!;
    const oldRoot = leader.manager!.store.cluster()!.rootCA.caCertPem;
    const oldToken = s.tokens.worker;
    const r = docker(sim, leader, "swarm ca", [], { rotate: true });
    expect(r.err).toBe("");
    const c = s.leader()!.manager!.store.cluster()!;
    expect(c.rootCA.rootRotation).toBeUndefined();
    expect(c.rootCA.caCertPem).not.toBe(oldRoot);
    // Off a terminal the progress bars are dropped: the digest lines and the new root remain
    // (test/swarm-ca-rotate.test.ts checks the whole transcript).
    expect(r.out).toContain(`desired root digest: ${c.rootCA.caCertHash}\n`);
    expect(r.out).not.toContain("[=");
    expect(r.out.endsWith(`${c.rootCA.caCertPem.trim()}\n`)).toBe(true);
    expect(c.rootCA.joinTokens.worker).not.toBe(oldToken);
    expect(c.rootCA.joinTokens.worker.slice(0, 60)).not.toBe(oldToken.slice(0, 60));
    sim.runFor(10_000);
    for (const n of s.all) {
      expect(n.trustRoot, n.machine.name).toBe(c.rootCA.caCertPem);
      expect(certificateInfo(n.certificate, sim.epochMs).nodeId).toBe(n.nodeId);
    }
    // The swarm still works, and only the new token admits a node.
    sim.runFor(20_000);
    expect(docker(sim, s.leader()!, "node ls").out.match(/ Ready /g)).toHaveLength(6);
    const late = attachSwarmNode(sim, sim.addMachine("late"));
    let err: Error | null | undefined;
    late.join({ token: oldToken, remoteAddr: s.joinAddr }, (e) => {
      err = e;
    });
    sim.runUntil(() => err !== undefined, 60_000);
    expect(err?.message).toMatch(/^remote CA does not match fingerprint/);
    expect(docker(sim, late, "swarm join", [s.joinAddr], { token: c.rootCA.joinTokens.worker }).code).toBe(0);
  });
});
