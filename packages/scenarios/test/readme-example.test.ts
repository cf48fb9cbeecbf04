// The property test the README shows: a user's own test on the exported arbitraries.
import fc from "fast-check";
import { expect, it } from "vitest";
import { clusterArb, fcParams, startCluster } from "../src";

it("a swarm stays writable while a majority of its managers is up", () => {
  fc.assert(
    fc.property(
      fc.integer(),
      clusterArb({ maxManagers: 5, maxWorkers: 2 }),
      fc.nat(),
      (seed, shape, pick) => {
        const cluster = startCluster(seed, shape);
        const down = pick % (shape.managers + 1); // crash 0..all managers
        for (const m of cluster.swarm.managers.slice(0, down)) cluster.sim.machine(m.machine.name).crash();
        const majority = shape.managers - down > shape.managers / 2;
        if (majority) expect(cluster.awaitLeader()).toBe(true);
        else cluster.sim.runFor(30_000);
        expect(cluster.write()).toBe(majority);
      },
    ),
    fcParams(8),
  );
});
