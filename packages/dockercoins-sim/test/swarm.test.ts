// DockerCoins as a stack on a five-node swarm (experiment API): with rng global, every node
// runs an rng and each node's VIP load balancer spreads the workers' requests over all five,
// so ten workers get well past the single-rng limit; with one rng replica they do not.
import { describe, expect, it } from "vitest";
import { DEFAULT_COSTS, DEFAULT_TIMING } from "../src/config";
import { startDockerCoins } from "../src/experiment";
import { parseHttpingOutput } from "../src/tools/httping";

/** rng answers one request at a time: its sleep plus its processing. */
const RNG_CEILING = 1000 / (DEFAULT_TIMING.rngDelayMs + 1000 * DEFAULT_COSTS.rngRequestCpu);
/** What one worker does on its own: three 0.1 s sleeps plus processing (~3.3 h/s). */
const ONE_WORKER =
  1000 /
  (DEFAULT_TIMING.workerSleepMs +
    DEFAULT_TIMING.rngDelayMs +
    DEFAULT_TIMING.hasherDelayMs +
    1000 * (DEFAULT_COSTS.workerLoopCpu + DEFAULT_COSTS.rngRequestCpu + DEFAULT_COSTS.hasherRequestCpu));

/** GET /32 lines in an rng task's access log: the requests it served. */
function served(logs: readonly { text: string }[]): number {
  return logs.filter((l) => l.text.includes('"GET /32 ')).length;
}

describe("DockerCoins on a swarm", () => {
  it("rng global over 5 nodes: ten workers get past the single-rng limit; one rng replica: they do not", () => {
    const global = startDockerCoins({ mode: "swarm", seed: 1, nodes: 5, workers: 10, rngMode: "global" });
    global.runFor(65_000);
    const single = startDockerCoins({
      mode: "swarm",
      seed: 1,
      nodes: 5,
      workers: 10,
      rngMode: { replicas: 1 },
    });
    single.runFor(65_000);
    const g = global.hashesPerSecond();
    const s = single.hashesPerSecond();
    // One rng: its single queue caps the app at ~9.9 h/s, as under compose (2% for the page's
    // quantization; a little under because of the network hops between nodes).
    expect(s).toBeLessThan(RNG_CEILING * 1.02);
    expect(s).toBeGreaterThan(RNG_CEILING * 0.9);
    // Five rngs (capacity ~50 h/s) let ten workers run almost unhindered (10 x 3.3 = 33 h/s):
    // well above the single-rng limit; a little below 33 because requests that meet at one
    // rng queue behind each other.
    expect(g).toBeGreaterThan(2.5 * RNG_CEILING);
    expect(g).toBeGreaterThan(0.85 * 10 * ONE_WORKER);
    expect(g).toBeLessThan(1.02 * 10 * ONE_WORKER);
    expect(g / s).toBeGreaterThan(2.8);

    // One rng task per node, and the VIPs spread the requests over all of them: round-robin
    // on each node, so each task serves about a fifth (10-30% each, whatever the placement).
    const rngs = global.containers("rng");
    expect(new Set(rngs.map((c) => c.config.labels["com.docker.swarm.node.id"])).size).toBe(5);
    const counts = rngs.map((c) => served(c.log.lines({})));
    const total = counts.reduce((a, b) => a + b, 0);
    for (const n of counts) {
      expect(n / total).toBeGreaterThan(0.1);
      expect(n / total).toBeLessThan(0.3);
    }
    // The workers' view of rng's latency: ~0.1 s with five rngs, ~0.8 s in the single queue.
    expect(global.latencies("rng").p50).toBeLessThan(150);
    expect(single.latencies("rng").p50).toBeGreaterThan(700);
    expect(global.coins()).toBeGreaterThan(0);
    expect(global.wallet().every((h) => h.startsWith("0"))).toBe(true);
  });

  it("docker service scale: one worker, then ten; names resolve to VIPs, tasks.<name> to the tasks", () => {
    const app = startDockerCoins({ mode: "swarm", seed: 2, nodes: 3, workers: 1, rngMode: "global" });
    app.runFor(40_000);
    const one = app.hashesPerSecond();
    // One worker over the swarm: as under compose, plus a few network hops (6% for the page).
    expect(one).toBeGreaterThan(ONE_WORKER * 0.92);
    expect(one).toBeLessThan(ONE_WORKER * 1.06);
    const out = app.scaleWorkers(10);
    expect(out).toContain("dockercoins_worker scaled to 10");
    expect(app.containers("worker")).toHaveLength(10);
    app.runFor(40_000);
    const ten = app.hashesPerSecond();
    // Three rngs (capacity ~30 h/s) for ten workers wanting 33: most of the tenfold.
    expect(ten / one).toBeGreaterThan(6.5);
    expect(ten).toBeLessThan(3 * RNG_CEILING * 1.02);

    const worker = app.containers("worker")[0];
    const engine = [...app.cluster.engines.values()].find((e) => e.find(worker.name))!;
    const vip = engine.resolveFrom(worker.name, "rng");
    expect(vip).toHaveLength(1);
    const tasks = engine.resolveFrom(worker.name, "tasks.rng").sort();
    expect(tasks).toEqual(
      app
        .containers("rng")
        .map((c) => c.endpoints.at(-1)!.address)
        .sort(),
    );
    expect(tasks).not.toContain(vip[0]);
  });

  it("httping through the routing mesh: rng's latency under load is far above hasher's with one rng", () => {
    const app = startDockerCoins({ mode: "swarm", seed: 3, nodes: 3, workers: 10, rngMode: { replicas: 1 } });
    app.runFor(20_000);
    const rng = parseHttpingOutput(app.httping("rng").lines);
    const hasher = parseHttpingOutput(app.httping("hasher").lines);
    expect(rng.times).toHaveLength(5);
    expect(hasher.times).toHaveLength(5);
    expect(rng.min).toBeGreaterThan(300);
    expect(hasher.max).toBeLessThan(10);
    expect(app.stats("node1").split("\n")[0]).toMatch(/^CONTAINER ID\s+NAME\s+CPU %/);
    expect(app.top("node2")).toMatch(/^top - /);
  });

  it("the same seed replays the same swarm run; another seed finds other coins", () => {
    const run = (seed: number) => {
      const app = startDockerCoins({ mode: "swarm", seed, nodes: 3, workers: 4, rngMode: "global" });
      app.runFor(30_000);
      return { hashes: app.hashes(), wallet: app.wallet(), trace: app.sim.trace.hash(), out: app.output };
    };
    const a = run(5);
    expect(run(5)).toEqual(a);
    const b = run(6);
    expect(b.wallet.filter((h) => a.wallet.includes(h))).toEqual([]);
    expect(b.trace).not.toBe(a.trace);
  });
});
