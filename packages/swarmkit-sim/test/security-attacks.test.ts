// The attacks of issue 17, as an attacker makes them: raw messages from a machine that never
// joined, or from a node it owns, through the kernel only (src/attack/rogue.ts). Each attack
// is refused; each is also run against a deliberately weakened handshake, binding, join or
// control API (SecurityBugs), where it must get through: otherwise the test could not fail.
import { describe, expect, it } from "vitest";
import { Rogue, stealIdentity } from "../src/attack/rogue";
import { CONTROL } from "../src/api/methods";
import type { Cluster } from "../src/api/types";
import { Sim } from "../src/kernel/sim";
import type { SwarmNode } from "../src/node/swarm-node";
import { attachSwarmNode } from "../src/swarm/attach";
import { buildSwarm } from "../src/swarm/build";
import { type SecurityBugs, setSecurityBugs } from "../src/transport/bugs";

function swarm(seed: number, bugs: SecurityBugs = {}, workers = 1) {
  const sim = new Sim({ seed });
  setSecurityBugs(sim, bugs);
  const s = buildSwarm(sim, { managers: 3, workers });
  const leader = s.leader()!;
  return { sim, s, leader };
}

function join(sim: Sim, n: SwarmNode, token: string, remote: string): Error | null {
  let out: { err: Error | null } | undefined;
  n.join({ token, remoteAddr: remote }, (err) => {
    out = { err };
  });
  sim.runUntil(() => out !== undefined, 120_000);
  return out ? out.err : new Error("no answer");
}

const HANDSHAKE_REFUSED =
  /^Unavailable: connection error: desc = "transport: authentication handshake failed: /;

describe("proof of possession", () => {
  /** A machine that never joined replays the leader's certificate, harvested from a handshake. */
  function replayLeader(bugs: SecurityBugs) {
    const { sim, leader } = swarm(101, bugs);
    const rogue = Rogue.create(sim, "rogue");
    const chain = rogue.harvestChain(leader.advertiseAddr);
    expect(chain).toBe(leader.certificate);
    rogue.present({ chain, keyPem: null });
    const tokens = leader.manager!.store.cluster()!.rootCA.joinTokens;
    const get = rogue.callNow(leader.advertiseAddr, CONTROL.getCluster);
    const rotate = rogue.callNow(leader.advertiseAddr, CONTROL.updateCluster, { rotateWorkerToken: true });
    sim.runFor(5000);
    return { get, rotate, tokens, after: leader.manager!.store.cluster()!.rootCA.joinTokens };
  }

  it("a manager's certificate without its key opens nothing", () => {
    const r = replayLeader({});
    expect(r.get.err).toMatch(HANDSHAKE_REFUSED);
    expect(r.get.err).toContain("remote error: tls: error decrypting message");
    expect(r.rotate.err).toMatch(HANDSHAKE_REFUSED);
    expect(r.after).toEqual(r.tokens);
  });

  it("(weakened: no CertificateVerify check) the replayed certificate is taken for the leader", () => {
    const r = replayLeader({ noProofOfPossession: true });
    expect(r.get.err).toBeNull();
    expect((r.get.res as { cluster: Cluster }).cluster.rootCA.joinTokens.worker).toBe(r.tokens.worker);
    expect(r.rotate.err).toBeNull();
    expect(r.after.worker).not.toBe(r.tokens.worker);
  });

  it("a worker's certificate without its key is refused too; with its key it opens the worker's share only", () => {
    const { sim, s, leader } = swarm(102);
    const w = s.workers[0];
    const rogue = Rogue.create(sim, "rogue");
    rogue.present(stealIdentity(w.machine, { withKey: false }));
    expect(rogue.callNow(leader.advertiseAddr, "Dispatcher.Heartbeat").err).toMatch(HANDSHAKE_REFUSED);
    rogue.present(stealIdentity(w.machine, { withKey: true }));
    // The dispatcher hears it (no session: "session invalid"), the control API does not.
    expect(rogue.callNow(leader.advertiseAddr, "Dispatcher.Heartbeat").err).toBe(
      "InvalidArgument: session invalid",
    );
    expect(rogue.callNow(leader.advertiseAddr, CONTROL.listNodes).err).toContain(
      "remote certificate not part of OUs: [swarm-manager]",
    );
  });
});

describe("requests bound to their connection", () => {
  function guess(bugs: SecurityBugs) {
    const { sim, leader } = swarm(111, bugs, 3);
    const rogue = Rogue.create(sim, "rogue");
    return rogue.guessConnections(
      leader.advertiseAddr,
      Array.from({ length: 300 }, (_, i) => i + 1),
      CONTROL.listNodes,
    );
  }

  it("a request naming another client's connection number is not answered as that client", () => {
    expect(guess({})).toEqual([]);
  });

  it("(weakened: connections by the number in the message) guessed numbers are answered as a manager", () => {
    expect(guess({ connectionFromPayload: true }).length).toBeGreaterThan(0);
  });

  function flood(bugs: SecurityBugs) {
    const { sim, s, leader } = swarm(112, bugs, 3);
    const before = leader.nodeId;
    const rogue = Rogue.create(sim, "rogue");
    rogue.flood(leader.advertiseAddr, 400);
    sim.runFor(60_000);
    const now = s.leader();
    const ready = now?.manager?.store.nodes().filter((n) => n.status.state === "ready").length ?? 0;
    return { before, after: now?.nodeId, ready, table: leader.manager!.server.connectionsFrom("rogue") };
  }

  it("a flood of 400 unauthenticated handshakes leaves the leader leading and every node ready", () => {
    const r = flood({});
    expect(r.after).toBe(r.before);
    expect(r.ready).toBe(6);
    // The rogue's entries are bounded by its own table.
    expect(r.table.conns).toBeLessThanOrEqual(64);
    expect(r.table.handshakes).toBeLessThanOrEqual(16);
  });

  it("(weakened: one table keyed by the message's number) the flood takes the swarm's leader away", () => {
    const r = flood({ connectionFromPayload: true });
    expect(r.after === r.before && r.ready === 6).toBe(false);
  });
});

describe("joins trust only a manager that proves the pinned root", () => {
  function fakeJoin(bugs: SecurityBugs, identity?: "stolen-cert" | "stolen-cert-and-key") {
    const { sim, s, leader } = swarm(121, bugs, 0);
    const rogue = Rogue.create(sim, "fake");
    const fake = rogue.serveFakeManager({
      rootPem: leader.trustRoot,
      identity:
        identity === undefined
          ? undefined
          : stealIdentity(leader.machine, { withKey: identity === "stolen-cert-and-key" }),
    });
    const joiner = attachSwarmNode(sim, sim.addMachine("joiner"));
    const err = join(sim, joiner, s.tokens.worker, `${rogue.machine.address}:2377`);
    return { err, fake, joiner };
  }

  it("a fake serving the public root CA never receives the token", () => {
    const r = fakeJoin({});
    expect(r.fake.rootRequests).toBeGreaterThan(0);
    expect(r.fake.tokens).toEqual([]);
    expect(r.err?.message).toContain("x509: certificate signed by unknown authority");
    expect(r.joiner.state).toBe("inactive");
  });

  it("a fake replaying a manager's certificate without its key never receives the token", () => {
    const r = fakeJoin({}, "stolen-cert");
    expect(r.fake.tokens).toEqual([]);
    expect(r.err?.message).toContain("tls: invalid signature by the server certificate");
    expect(r.joiner.state).toBe("inactive");
  });

  it("(weakened: no CertificateVerify check) the fake replaying a manager's certificate receives the token", () => {
    const r = fakeJoin({ noProofOfPossession: true }, "stolen-cert");
    expect(r.fake.tokens.length).toBeGreaterThan(0);
  });

  it("a certificate from a foreign CA, for a node ID the CA made up, is not kept", () => {
    // The fake holds a real manager's key (a compromised manager): it gets the token, but what
    // it sends back must still chain to the pinned root.
    const r = fakeJoin({}, "stolen-cert-and-key");
    expect(r.fake.tokens.length).toBe(1);
    expect(r.err?.message).toContain("x509: certificate signed by unknown authority");
    expect(r.joiner.state).toBe("inactive");
    expect(r.joiner.certificate).toBe("");
  });

  it("(weakened: the token goes over the unverified connection) the fake gets the token and the node keeps its certificate", () => {
    const r = fakeJoin({ joinTrustsEarly: true });
    expect(r.fake.tokens.length).toBeGreaterThan(0);
    expect(r.joiner.certificate).not.toBe("");
  });
});

describe("secrets stay with their owners", () => {
  function getCluster(bugs: SecurityBugs) {
    const { sim, s, leader } = swarm(131, bugs, 0);
    const follower = s.managers.find((m) => m !== leader)!;
    const rogue = Rogue.on(sim, follower.machine).present(stealIdentity(follower.machine, { withKey: true }));
    const got = rogue.callNow(leader.advertiseAddr, CONTROL.getCluster);
    const upd = rogue.callNow(leader.advertiseAddr, CONTROL.updateCluster, { autolock: true });
    return {
      get: (got.res as { cluster: Cluster }).cluster,
      update: (upd.res as { cluster: Cluster }).cluster,
      stored: leader.manager!.store.cluster()!,
    };
  }

  it("GetCluster and UpdateCluster answer without the CA key, the unlock key or the network keys", () => {
    const r = getCluster({});
    for (const c of [r.get, r.update]) {
      expect(c.rootCA.caKeyPem).toBe("");
      expect(c.unlockKey).toBe("");
      expect(c.networkBootstrapKeys).toBeNull();
      // What SwarmKit does return: the join tokens and the root certificate.
      expect(c.rootCA.joinTokens).toEqual(r.stored.rootCA.joinTokens);
      expect(c.rootCA.caCertPem).toBe(r.stored.rootCA.caCertPem);
    }
    expect(r.stored.rootCA.caKeyPem).toContain("PRIVATE KEY");
    expect(r.stored.unlockKey).toMatch(/^SWMKEY-1-/);
  });

  it("(weakened: no redaction) the answers carry the CA key and the unlock key", () => {
    const r = getCluster({ noRedaction: true });
    expect(r.get.rootCA.caKeyPem).toContain("PRIVATE KEY");
    expect(r.update.unlockKey).toMatch(/^SWMKEY-1-/);
  });

  it("no store-writing method: a manager's key writes only what the control API validates", () => {
    const { sim, s, leader } = swarm(132, {}, 0);
    const follower = s.managers.find((m) => m !== leader)!;
    const rogue = Rogue.on(sim, follower.machine).present(stealIdentity(follower.machine, { withKey: true }));
    const write = rogue.callNow(leader.advertiseAddr, "Store.Propose", {
      actions: [{ op: "create", type: "node", object: { id: "rogue", role: "manager" } }],
    });
    expect(write.err).toBe("Unimplemented: unknown service Store");
    sim.runFor(5000);
    expect(leader.manager!.store.get("node", "rogue")).toBeUndefined();
  });
});
