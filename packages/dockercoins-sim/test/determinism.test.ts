import fc from "fast-check";
import { fcParams } from "@swarm-sim/swarmkit-sim";
import { describe, expect, it } from "vitest";
import { checkWallet } from "../src/checks";
import { startDockerCoins } from "../src/experiment";
import type { RedisProgram } from "../src/services/redis";

function run(seed: number | string) {
  const app = startDockerCoins({ seed, workers: 3 });
  app.runFor(60_000);
  app.scaleWorkers(5);
  app.runFor(30_000);
  return {
    hashes: app.hashes(),
    coins: app.coins(),
    wallet: app.wallet(),
    speed: app.hashesPerSecond(),
    rngP99: app.latencies("rng").p99,
    ids: app.project.containers().map((c) => c.id),
    logs: app.project.logs({ tail: 5 }).lines,
    stats: app.stats(),
    trace: app.sim.trace.hash(),
  };
}

describe("determinism", () => {
  it("the same seed gives the same hashes, coins, figures, logs and trace", () => {
    expect(run(11)).toEqual(run(11));
  });

  it("another seed gives other coins", () => {
    const a = run(11);
    const b = run(12);
    expect(a.wallet).not.toEqual(b.wallet);
    expect(a.wallet.filter((h) => b.wallet.includes(h))).toEqual([]);
    expect(a.ids).not.toEqual(b.ids);
  });

  it("property: whatever the seed and scale, the wallet holds real coins and the counter never runs ahead", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 6 }), (seed, workers) => {
        const app = startDockerCoins({ seed, workers, page: false });
        app.runFor(20_000);
        const redis = app.project.containers({ service: "redis" })[0].program as RedisProgram;
        expect(checkWallet(redis.store)).toEqual([]);
        // The counter holds what workers reported; each reports at most once a second what
        // it has done since, so it lags by less than a second of work per worker.
        expect(app.hashes()).toBeLessThanOrEqual(app.metrics.loops);
        expect(app.metrics.loops - app.hashes()).toBeLessThanOrEqual(workers * 5);
      }),
      fcParams(8),
    );
  });
});

describe("experiments on an existing machine", () => {
  it("use the machine's engine and its registry", async () => {
    const { Engine, ImageRegistry, Sim } = await import("@swarm-sim/swarmkit-sim");
    const sim = new Sim({ seed: 5 });
    const node = sim.addMachine("node1");
    const lab = Engine.attach(node, { images: new ImageRegistry() });
    const app = startDockerCoins({ sim, machine: node, workers: 2 });
    expect(app.engine).toBe(lab);
    app.runFor(30_000);
    expect(app.metrics.loops).toBeGreaterThan(100);
    expect(app.hashesPerSecond()).toBeGreaterThan(6);
  });
});
