// The leader health-checks a prospective manager at its advertised address before adding it to
// raft (SWARMKIT.md §3.4): a manager that the leader cannot reach is refused with SwarmKit's
// message, `docker swarm join` fails (as dockerd, leaving the node out of the swarm), and the
// same machine joins once the leader can reach it.
import { credentialsFor } from "./support/manager-call";
import { describe, expect, it } from "vitest";
import { Sim } from "../src/kernel/sim";
import { ERR_HEALTH_CHECK_FAILURE, HEALTH_CHECK_TIMEOUT_MS, checkHealth } from "../src/manager/health";
import type { SwarmNode } from "../src/node/swarm-node";
import { attachSwarmNode } from "../src/swarm/attach";
import { buildSwarm } from "../src/swarm/build";
import type { GrpcError } from "../src/transport/grpc-error";

function join(sim: Sim, n: SwarmNode, token: string, remote: string): { err: Error | null; took: number } {
  const start = sim.now();
  let out: { err: Error | null } | undefined;
  n.join({ token, remoteAddr: remote }, (err) => {
    out = { err };
  });
  sim.runUntil(() => out !== undefined, 60_000);
  return { err: out!.err, took: sim.now() - start };
}

describe("health check of a prospective manager", () => {
  it("refuses a manager the leader cannot reach, and adds it once reachable", () => {
    const sim = new Sim({ seed: 61 });
    const s = buildSwarm(sim, { managers: 3, workers: 0 });
    sim.runFor(10_000);
    const leader = s.leader()!;
    // Join through a follower: it can answer the newcomer, only the leader cannot reach it.
    const via = s.managers.find((m) => m !== leader)!;
    const m = sim.addMachine("manager4");
    const n = attachSwarmNode(sim, m);
    sim.net.cut(leader.machine.name, m.name);
    const first = join(sim, n, s.tokens.manager, via.advertiseAddr);
    expect(first.err?.message).toBe(
      "manager stopped: can't initialize raft node: rpc error: code = Unknown desc = " +
        `${ERR_HEALTH_CHECK_FAILURE}: rpc error: code = DeadlineExceeded desc = context deadline exceeded`,
    );
    // Refused after the 5 s health check, not at dockerd's 20 s join timeout.
    expect(first.took).toBeGreaterThanOrEqual(HEALTH_CHECK_TIMEOUT_MS);
    expect(first.took).toBeLessThan(HEALTH_CHECK_TIMEOUT_MS + 2000);
    expect(n.state).toBe("inactive");
    expect(leader.manager!.consensus.members()).toHaveLength(3);

    sim.net.uncut(leader.machine.name, m.name);
    const second = join(sim, n, s.tokens.manager, via.advertiseAddr);
    expect(second.err).toBeNull();
    expect(n.role).toBe("manager");
    expect(leader.manager!.consensus.members().map((x) => x.nodeId)).toContain(n.nodeId);
  });

  it("answers SERVING from a running manager and fails for an address nobody serves", () => {
    const sim = new Sim({ seed: 62 });
    const s = buildSwarm(sim, { managers: 2, workers: 0 });
    sim.runFor(5000);
    const [a, b] = s.managers;
    const security = { credentials: () => credentialsFor(a, a.machine) };
    const results: (GrpcError | null)[] = [];
    checkHealth(a.machine, b.advertiseAddr, security, (err) => results.push(err));
    checkHealth(a.machine, `${b.machine.address}:2400`, security, (err) => results.push(err));
    sim.runFor(HEALTH_CHECK_TIMEOUT_MS + 1000);
    expect(results).toHaveLength(2);
    expect(results[0]).toBeNull();
    expect(results[1]?.code).toBe("Unknown");
    expect(results[1]?.desc.startsWith(`${ERR_HEALTH_CHECK_FAILURE}: rpc error: code = `)).toBe(true);
  });
});
