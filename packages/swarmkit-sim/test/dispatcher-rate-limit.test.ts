// The dispatcher's registration rate limit (SWARMKIT.md §4.1): more than 3 registrations of
// one node within 8 s of its last accepted one are refused with Unavailable; after a pause of
// the whole period the node is accepted again, and its own agent, which was knocked off by the
// re-registrations, gets back on by backing off and retrying.
import { describe, expect, it } from "vitest";
import { Sim } from "../src/kernel/sim";
import { DISPATCHER } from "../src/api/methods";
import {
  REGISTRATION_RATE_LIMIT_PERIOD_MS,
  checkRegistrationRate,
} from "../src/manager/dispatcher/rate-limit";
import type { SwarmNode } from "../src/node/swarm-node";
import { buildSwarm } from "../src/swarm/build";
import type { GrpcError } from "../src/transport/grpc-error";
import { callManager } from "./support/manager-call";

/** One registration of `node` at `to`'s dispatcher, over the network with the node's certificate. */
function register(sim: Sim, node: SwarmNode, to: SwarmNode): GrpcError | null {
  const description = to.manager!.store.get("node", node.nodeId)!.description;
  return callManager(sim, node.machine, to, DISPATCHER.register, node, { description }).err;
}

describe("dispatcher registration rate limit", () => {
  it("refuses the 4th re-registration within 8 s and accepts the node again later", () => {
    const sim = new Sim({ seed: 41 });
    const s = buildSwarm(sim, { managers: 1, workers: 1 });
    sim.runFor(30_000);
    const [leader] = s.managers;
    const [w] = s.workers;
    for (let i = 1; i <= 3; i++) expect(register(sim, w, leader), `attempt ${i}`).toBeNull();
    const lastAccepted = sim.now();
    const refused = register(sim, w, leader);
    expect(refused?.code).toBe("Unavailable");
    expect(refused?.desc).toBe(`node ${w.nodeId} exceeded rate limit count of registrations`);
    // The worker's own agent, whose session the loop superseded, re-registers when its next
    // heartbeat gets NotFound, is refused too, and backs off until the window has passed.
    expect(sim.runUntil(() => !w.agent!.connected, 10_000)).toBe(true);
    expect(sim.now()).toBeLessThan(lastAccepted + REGISTRATION_RATE_LIMIT_PERIOD_MS);
    // Still refused while the window lasts: refusals do not move it.
    expect(register(sim, w, leader)?.desc).toMatch(/exceeded rate limit count of registrations$/);
    expect(sim.runUntil(() => !!w.agent?.connected, 30_000)).toBe(true);
    expect(sim.now()).toBeGreaterThan(lastAccepted + REGISTRATION_RATE_LIMIT_PERIOD_MS);
    sim.runFor(1000);
    expect(leader.manager!.store.get("node", w.nodeId)?.status.state).toBe("ready");
    // And a registration is accepted again.
    expect(register(sim, w, leader)).toBeNull();
  });

  it("counts attempts against the last accepted registration only", () => {
    const rate = { attempts: 0, registeredAt: 0 };
    expect(checkRegistrationRate("n1", rate, 1000)).toBeNull();
    expect(checkRegistrationRate("n1", rate, 2000)).toBeNull();
    expect(checkRegistrationRate("n1", rate, 3000)).toBeNull();
    expect(checkRegistrationRate("n1", rate, 4000)?.message).toBe(
      "rpc error: code = Unavailable desc = node n1 exceeded rate limit count of registrations",
    );
    // 8 s after 3000, not after the refusal at 4000.
    expect(checkRegistrationRate("n1", rate, 11_000)).not.toBeNull();
    expect(checkRegistrationRate("n1", rate, 11_001)).toBeNull();
    expect(rate).toEqual({ attempts: 1, registeredAt: 11_001 });
    // A node never registered here (UNKNOWN after a leader change) starts a fresh window.
    const unknown = { attempts: 0, registeredAt: Number.NEGATIVE_INFINITY };
    for (let i = 0; i < 3; i++) expect(checkRegistrationRate("n2", unknown, 5)).toBeNull();
    expect(checkRegistrationRate("n2", unknown, 5)).not.toBeNull();
  });
});
