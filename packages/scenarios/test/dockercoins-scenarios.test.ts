import { describe, expect, it } from "vitest";
import {
  composeStop,
  doublingHolds,
  oneWorkerHolds,
  rngSlowerHolds,
  tenWorkers,
  tenWorkersHolds,
  tenWorkersScenario,
  twoWorkers,
} from "../src/scenarios/dockercoins";

describe("DockerCoins verdict logic", () => {
  it("accepts the lecture's figures and refuses others", () => {
    expect(oneWorkerHolds(3.2)).toBe(true);
    expect(oneWorkerHolds(5)).toBe(false); // faster than three 0.1 s sleeps allow
    expect(oneWorkerHolds(1)).toBe(false);
    expect(doublingHolds(2.0)).toBe(true);
    expect(doublingHolds(1.5)).toBe(false);
    expect(tenWorkersHolds(3.0)).toBe(true);
    expect(tenWorkersHolds(9.5)).toBe(false);
    expect(rngSlowerHolds(700, 1)).toBe(true);
    expect(rngSlowerHolds(100, 100)).toBe(false);
  });
});

describe("DockerCoins scenarios", () => {
  it("x2 and x3-not-x10 hold on the model of the original application", () => {
    expect(twoWorkers.run(1).verdict).toBe("holds");
    const r = tenWorkers.run(1);
    expect(r.verdict).toBe("holds");
    expect(r.measured.ratio).toBeGreaterThan(2.5);
  });

  it("says the claim fails for an rng that is not a bottleneck (no sleep in rng)", () => {
    // Without rng's 0.1 s sleep its single thread is no longer the limit: ten workers give
    // close to ten times one worker, and the scenario must say the lecture's claim fails.
    const variant = tenWorkersScenario("dockercoins-x10-fast-rng", { timing: { rngDelayMs: 0 } });
    const r = variant.run(1);
    expect(r.verdict).toBe("fails");
    expect(r.measured.ratio).toBeGreaterThan(7);
  });

  it("the same seed gives the same JSON, trace hash included; another seed another hash", () => {
    const a = tenWorkers.run(3);
    const b = tenWorkers.run(3);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(tenWorkers.run(4).traceHash).not.toBe(a.traceHash);
  });

  it("Ctrl-C: redis and hasher exit at once, rng, worker and webui are killed after 10 s", () => {
    const r = composeStop.run(1);
    expect(r.verdict).toBe("holds");
    expect(r.measured.immediate).toEqual(["hasher", "redis"]);
    expect(r.measured.killedAfterTimeout).toEqual(["rng", "webui", "worker"]);
  });
});
