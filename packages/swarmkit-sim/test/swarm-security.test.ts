// Security: each test is an attempt that must fail, with the error SwarmKit / Docker gives.
import { describe, expect, it } from "vitest";
import type { Cluster } from "../src/api/types";
import { generateKeyPair } from "../src/ca/keys";
import { RootCA } from "../src/ca/rootca";
import { Sim } from "../src/kernel/sim";
import { CONTROL } from "../src/api/methods";
import { ERR_LOCKED } from "../src/node/errors";
import { signNodeCertificate } from "../src/ca/cluster-pki";
import type { SwarmNode } from "../src/node/swarm-node";
import { attachSwarmNode } from "../src/swarm/attach";
import { buildSwarm } from "../src/swarm/build";
import type { GrpcError } from "../src/transport/grpc-error";
import { stealIdentity } from "../src/attack/rogue";
import { type Caller, callManager } from "./support/manager-call";
import { docker } from "./support/swarm-cli";

function join(sim: Sim, n: SwarmNode, token: string, remote: string): Error | null {
  let out: { err: Error | null } | undefined;
  n.join({ token, remoteAddr: remote }, (err) => {
    out = { err };
  });
  sim.runUntil(() => out !== undefined, 60_000);
  return out!.err;
}

/** Calls a manager method directly over the network, presenting `chain`. */
function rawCall(sim: Sim, from: string, to: SwarmNode, method: string, who: Caller): GrpcError | null {
  return callManager(sim, sim.machine(from), to, method, who).err;
}

function clusterOf(n: SwarmNode): Cluster {
  return n.manager!.store.cluster()!;
}

describe("joining", () => {
  it("refuses a malformed token before contacting anyone", () => {
    const sim = new Sim({ seed: 1 });
    const s = buildSwarm(sim, { managers: 1, workers: 0 });
    const n = attachSwarmNode(sim, sim.addMachine("intruder"));
    for (const bad of [
      "",
      "SWMTKN-1-abc-def",
      `${s.tokens.worker}x`,
      s.tokens.worker.replace("SWMTKN-1", "SWMTKN-3"),
    ]) {
      expect(join(sim, n, bad, s.joinAddr)?.message).toBe("invalid join token");
    }
    expect(n.state).toBe("inactive");
  });

  it("refuses a rotated token, while nodes that joined with it stay", () => {
    const sim = new Sim({ seed: 2 });
    const s = buildSwarm(sim, { managers: 1, workers: 1 });
    const old = s.tokens.worker;
    const r = docker(sim, s.managers[0], "swarm join-token", ["worker"], { rotate: true });
    expect(r.out).toMatch(/^Successfully rotated worker join token\.\n\nTo add a worker/);
    const n = attachSwarmNode(sim, sim.addMachine("late"));
    expect(join(sim, n, old, s.joinAddr)?.message).toBe(
      "rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster",
    );
    const fresh = clusterOf(s.managers[0]).rootCA.joinTokens.worker;
    expect(fresh).not.toBe(old);
    expect(fresh.slice(0, 60)).toBe(old.slice(0, 60)); // same CA digest, new secret
    expect(join(sim, n, fresh, s.joinAddr)).toBeNull();
    sim.runFor(6000);
    expect(s.managers[0].manager!.store.get("node", s.workers[0].nodeId)!.status.state).toBe("ready");
  });

  it("refuses a token of another cluster, and a manager with another CA (impostor)", () => {
    const sim = new Sim({ seed: 3 });
    const a = buildSwarm(sim, { managers: 1, workers: 0, managerName: () => "a-manager" });
    const b = buildSwarm(sim, { managers: 1, workers: 0, managerName: () => "b-manager" });
    const n = attachSwarmNode(sim, sim.addMachine("joiner"));
    const digestA = clusterOf(a.managers[0]).rootCA.caCertHash.replace("sha256:", "");
    // B's token at A's address: A's CA does not hash to B's digest.
    const digestB = clusterOf(b.managers[0]).rootCA.caCertHash.replace("sha256:", "");
    expect(join(sim, n, b.tokens.worker, a.joinAddr)?.message).toBe(
      `remote CA does not match fingerprint. Expected: ${digestB}`,
    );
    // A's token at B's address (B impersonates A's manager): refused before any secret is sent.
    expect(join(sim, n, a.tokens.manager, b.joinAddr)?.message).toBe(
      `remote CA does not match fingerprint. Expected: ${digestA}`,
    );
    expect(n.state).toBe("inactive");
  });
});

describe("mutual TLS and roles", () => {
  it("denies a worker's certificate the control API", () => {
    const sim = new Sim({ seed: 4 });
    const s = buildSwarm(sim, { managers: 1, workers: 1 });
    const w = s.workers[0];
    const err = rawCall(sim, w.machine.name, s.managers[0], CONTROL.listNodes, w);
    expect(err?.code).toBe("PermissionDenied");
    expect(err?.message).toContain("Permission denied: remote certificate not part of OUs: [swarm-manager]");
    // Without any certificate, only the insecure CA methods answer.
    expect(rawCall(sim, w.machine.name, s.managers[0], CONTROL.listNodes, null)?.code).toBe(
      "PermissionDenied",
    );
    expect(rawCall(sim, w.machine.name, s.managers[0], "CA.GetRootCACertificate", null)).toBeNull();
  });

  it("refuses a forged certificate (signed by another CA) and a tampered one", () => {
    const sim = new Sim({ seed: 5 });
    const s = buildSwarm(sim, { managers: 1, workers: 0 });
    sim.addMachine("forger");
    const c = clusterOf(s.managers[0]);
    const rand = sim.random.fork("forger");
    const other = RootCA.create(rand, { now: sim.now() });
    const key = generateKeyPair(rand);
    const fake = {
      ...c,
      rootCA: { ...c.rootCA, caCertPem: other.certPem, caKeyPem: other.key!.privateKeyPem },
    } as Cluster;
    // Claims to be the manager itself, with the right cluster ID and role.
    const forged = signNodeCertificate(
      fake,
      { nodeId: s.managers[0].nodeId, role: "manager", publicKeyPem: key.publicKeyPem, nowMs: sim.now() },
      rand,
    );
    const err = rawCall(sim, "forger", s.managers[0], CONTROL.listNodes, {
      chain: forged,
      keyPem: key.privateKeyPem,
    });
    expect(err?.message).toBe(
      'rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: remote error: tls: unknown certificate authority"',
    );
    const lines = s.managers[0].certificate.split("\n");
    lines[3] = lines[3].slice(0, 10) + (lines[3][10] === "A" ? "B" : "A") + lines[3].slice(11);
    const tampered = lines.join("\n");
    expect(tampered).not.toBe(s.managers[0].certificate);
    expect(
      rawCall(sim, "forger", s.managers[0], CONTROL.listNodes, { chain: tampered, keyPem: null })?.code,
    ).toBe("Unavailable");
  });

  it("refuses an expired certificate", () => {
    const sim = new Sim({ seed: 6 });
    const s = buildSwarm(sim, { managers: 1, workers: 0 });
    sim.addMachine("old");
    const c = {
      ...clusterOf(s.managers[0]),
      spec: { ...clusterOf(s.managers[0]).spec, caConfig: { nodeCertExpiryMs: 3_600_000, forceRotate: 0 } },
    } as Cluster;
    const rand = sim.random.fork("old");
    const key = generateKeyPair(rand);
    const cert = signNodeCertificate(
      c,
      { nodeId: s.managers[0].nodeId, role: "manager", publicKeyPem: key.publicKeyPem, nowMs: sim.now() },
      rand,
    );
    expect(
      rawCall(sim, "old", s.managers[0], CONTROL.listNodes, { chain: cert, keyPem: key.privateKeyPem }),
    ).toBeNull();
    sim.runFor(2 * 3_600_000);
    expect(
      rawCall(sim, "old", s.managers[0], CONTROL.listNodes, { chain: cert, keyPem: key.privateKeyPem })
        ?.message,
    ).toBe(
      'rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: remote error: tls: expired certificate"',
    );
  });

  it("refuses a removed node that reconnects", () => {
    const sim = new Sim({ seed: 7 });
    const s = buildSwarm(sim, { managers: 1, workers: 1 });
    const m = s.managers[0];
    const w = s.workers[0];
    const cert = stealIdentity(w.machine, { withKey: true });
    w.machine.crash();
    sim.runFor(20_000);
    expect(docker(sim, m, "node rm", ["worker1"]).code).toBe(0);
    w.machine.start();
    sim.runFor(60_000);
    expect(m.manager!.store.get("node", w.nodeId)).toBeUndefined();
    expect(w.agent?.connected).toBe(false);
    const err = rawCall(sim, w.machine.name, m, "Dispatcher.Session", cert);
    expect(err?.message).toBe(
      `rpc error: code = PermissionDenied desc = Permission denied: unauthorized peer role: rpc error: code = PermissionDenied desc = Permission denied: node ${w.nodeId} was removed from swarm`,
    );
  });
});

describe("autolock", () => {
  it("keeps a restarted manager locked until the right key is given", () => {
    const sim = new Sim({ seed: 8 });
    const n = attachSwarmNode(sim, sim.addMachine("node1"));
    const init = docker(sim, n, "swarm init", [], { autolock: true });
    expect(init.code).toBe(0);
    const key = /SWMKEY-1-[A-Za-z0-9+/]{43}/.exec(init.out)![0];
    expect(init.out).toContain(
      `To unlock a swarm manager after it restarts, run the \`docker swarm unlock\`\ncommand and provide the following key:\n\n    ${key}\n\n`,
    );
    // The raft data on disk is sealed with the DEK: nothing of the cluster reads in the clear.
    const clusterId = n.clusterId;
    const raftFiles = n.machine.disk.list("swarm/raft/").filter((p) => !p.endsWith("member"));
    expect(raftFiles.length).toBeGreaterThan(0);
    const onDisk = raftFiles.map((p) => JSON.stringify(n.machine.disk.readLog(p))).join("");
    expect(onDisk).toContain("$sealed");
    expect(onDisk).not.toContain(clusterId);
    n.machine.restart();
    expect(n.state).toBe("locked");
    expect(n.manager).toBeNull();
    expect(docker(sim, n, "node ls").err).toBe(`Error response from daemon: ${ERR_LOCKED}\n`);
    expect(docker(sim, n, "info").out).toContain(" Swarm: locked\n Runtimes:");
    const wrong = docker(
      sim,
      n,
      "swarm unlock",
      [],
      {},
      "SWMKEY-1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
    );
    expect(wrong.err).toBe("Error response from daemon: swarm could not be unlocked: invalid key provided\n");
    expect(docker(sim, n, "swarm unlock", [], {}, "nonsense\n").err).toBe(
      "Error response from daemon: invalid key string\n",
    );
    expect(n.state).toBe("locked");
    expect(docker(sim, n, "swarm unlock", [], {}, `${key}\n`).code).toBe(0);
    sim.runUntil(() => !!n.manager?.isLeader(), 60_000);
    expect(docker(sim, n, "node ls").code).toBe(0);
    expect(docker(sim, n, "swarm unlock").err).toBe("error: swarm is not locked\n");
  });

  it("seals a running swarm's managers when autolock is turned on, and unseals when off", () => {
    const sim = new Sim({ seed: 9 });
    const s = buildSwarm(sim, { managers: 3, workers: 1 });
    const leader = s.leader()!;
    const on = docker(sim, leader, "swarm update", [], { autolock: true });
    expect(on.out).toMatch(/^Swarm updated\.\nTo unlock a swarm manager after it restarts/);
    const key = /SWMKEY-1-[A-Za-z0-9+/]{43}/.exec(on.out)![0];
    expect(docker(sim, leader, "swarm unlock-key", [], { quiet: true }).out).toBe(`${key}\n`);
    sim.runFor(5000);
    const m = s.managers.find((x) => x !== leader)!;
    const wal = JSON.stringify(m.machine.disk.readLog("swarm/raft/wal"));
    expect(wal).toContain("$sealed");
    expect(wal).not.toContain(m.clusterId);
    // A worker is not locked by autolock.
    s.workers[0].machine.restart();
    expect(s.workers[0].state).toBe("active");
    m.machine.restart();
    expect(m.state).toBe("locked");
    expect(docker(sim, m, "swarm unlock", [], {}, `${key}\n`).code).toBe(0);
    sim.runFor(30_000);
    expect(docker(sim, m, "node ls").out.match(/ Ready /g)).toHaveLength(4);
    // Rotating the key: the old one no longer unlocks.
    const rot = docker(sim, leader, "swarm unlock-key", [], { rotate: true, quiet: true });
    const key2 = rot.out.trim();
    expect(key2).not.toBe(key);
    sim.runFor(5000);
    m.machine.restart();
    expect(docker(sim, m, "swarm unlock", [], {}, `${key}\n`).err).toBe(
      "Error response from daemon: swarm could not be unlocked: invalid key provided\n",
    );
    expect(docker(sim, m, "swarm unlock", [], {}, `${key2}\n`).code).toBe(0);
    sim.runFor(30_000);
    // Autolock off: nothing sealed any more, restarts need no key.
    expect(docker(sim, s.leader()!, "swarm update", [], { autolock: false }).out).toBe("Swarm updated.\n");
    sim.runFor(5000);
    expect(JSON.stringify(m.machine.disk.readLog("swarm/raft/wal"))).not.toContain("$sealed");
    m.machine.restart();
    expect(m.state).toBe("active");
    expect(docker(sim, leader, "swarm unlock-key").err).toBe("no unlock key is set\n");
  });
});
