import fc from "fast-check";
import { expect, it } from "vitest";
import { applyFaults, buildSwarm, faultScheduleArb, fcParams, healAll, Sim } from "swarm-sim";

const managers = ["manager1", "manager2", "manager3"];

it("three managers elect a leader again once the faults are healed", () => {
  fc.assert(
    fc.property(
      fc.integer(),
      faultScheduleArb({ machines: managers, horizonMs: 60_000, maxActions: 6 }),
      (seed, faults) => {
        const sim = new Sim({ seed });
        const swarm = buildSwarm(sim, { managers: 3, workers: 0 });
        applyFaults(sim, faults); // crashes, partitions, pauses, packet loss, clock skew...
        sim.runFor(60_000);
        healAll(sim);
        // Elections take one or a few timeouts of 10-20 s each; 5 minutes leave a wide margin.
        expect(sim.runUntil(() => swarm.leader() !== undefined, 300_000)).toBe(true);
      },
    ),
    fcParams(10),
  );
});
