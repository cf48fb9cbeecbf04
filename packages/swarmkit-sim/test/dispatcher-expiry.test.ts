// The dispatcher's expiry checks run in one-second buckets, yet a node whose heartbeats stop
// is declared DOWN at the very end of its grace (period x 3), not at the next bucket.
import { describe, expect, it } from "vitest";
import { Sim } from "../src/kernel/sim";
import { buildSwarm } from "../src/swarm/build";

interface SessionView {
  expiresAt: number;
}

describe("dispatcher expiry", () => {
  it("drops a silent node's session exactly when its grace ends, and keeps beating nodes", () => {
    const sim = new Sim({ seed: 11 });
    const s = buildSwarm(sim, { managers: 1, workers: 3 });
    sim.runFor(60_000);
    const d = s.managers[0].manager!.activeDispatcher!;
    const sessions = (d as unknown as { sessions: Map<string, SessionView> }).sessions;
    const [dead, ...alive] = s.workers;
    dead.machine.crash();
    const expiresAt = sessions.get(dead.nodeId)!.expiresAt;
    expect(sim.runUntil(() => !sessions.has(dead.nodeId), 30_000)).toBe(true);
    expect(sim.now()).toBe(expiresAt);
    sim.runFor(120_000);
    for (const w of alive) expect(sessions.has(w.nodeId)).toBe(true);
    expect(d.sessionCount()).toBe(3);
  });
});
