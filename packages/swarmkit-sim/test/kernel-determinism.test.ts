import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyFaults, type FaultAction, faultScheduleArb, fcParams, Sim } from "../src";

// A random workload: machines that ping random peers, write to their disks and sometimes
// fsync, all recorded in the trace, under a random fault schedule.
interface Workload {
  machines: number;
  periodMs: number;
  fsyncEvery: number;
  durationMs: number;
  faults: FaultAction[];
}

const NAMES = ["n1", "n2", "n3", "n4", "n5"];

const workloadArb: fc.Arbitrary<Workload> = fc
  .record({
    machines: fc.integer({ min: 2, max: 5 }),
    periodMs: fc.integer({ min: 5, max: 200 }),
    fsyncEvery: fc.integer({ min: 1, max: 5 }),
    durationMs: fc.integer({ min: 500, max: 5000 }),
  })
  .chain((w) =>
    faultScheduleArb({ machines: NAMES.slice(0, w.machines), horizonMs: w.durationMs, maxActions: 8 }).map(
      (faults) => ({ ...w, faults }),
    ),
  );

function runWorkload(seed: number, w: Workload): string {
  const sim = new Sim({ seed });
  sim.net.setDefaultLink({
    latency: { kind: "normal", mean: 2, stddev: 1, floor: 0.5 },
    loss: 0.01,
    duplicate: 0.01,
    reorder: 0.05,
  });
  const names = NAMES.slice(0, w.machines);
  for (const name of names) {
    const m = sim.addMachine(name, { start: false });
    const rng = sim.random.fork(`work/${name}`);
    m.onBoot(() => {
      let n = 0;
      m.listen(7, (msg) => {
        sim.trace.record("recv", { at: name, from: msg.from.machine, payload: msg.payload });
        m.disk.append("log", msg.payload);
        if (++n % w.fsyncEvery === 0) m.disk.fsync();
      });
      const tick = () => {
        const peer = sim.machine(rng.pick(names));
        m.send({ address: peer.address, port: 7 }, Buffer.from(rng.bytes(4)).toString("hex"));
        m.after(w.periodMs * rng.range(0.5, 1.5), tick);
      };
      m.after(rng.range(0, w.periodMs), tick);
      sim.trace.record("boot", { name, log: m.disk.readLog("log").length });
    });
    m.start();
  }
  applyFaults(sim, w.faults);
  sim.runFor(w.durationMs);
  return sim.trace.hash();
}

describe("determinism", () => {
  it("the same seed and workload give the same trace hash", () => {
    fc.assert(
      fc.property(fc.integer(), workloadArb, (seed, w) => {
        expect(runWorkload(seed, w)).toBe(runWorkload(seed, w));
      }),
      fcParams(40),
    );
  });

  it("different seeds give different traces", () => {
    const w: Workload = { machines: 3, periodMs: 20, fsyncEvery: 2, durationMs: 1000, faults: [] };
    const hashes = new Set([1, 2, 3, 4, 5].map((s) => runWorkload(s, w)));
    expect(hashes.size).toBe(5);
  });
});

describe("fault schedules", () => {
  it("are sorted by time and name only the given machines", () => {
    fc.assert(
      fc.property(faultScheduleArb({ machines: ["a", "b", "c"], horizonMs: 1000 }), (s) => {
        for (let i = 1; i < s.length; i++) expect(s[i].at).toBeGreaterThanOrEqual(s[i - 1].at);
        for (const a of s) {
          if ("machine" in a) expect(["a", "b", "c"]).toContain(a.machine);
          expect(a.at).toBeLessThan(1000);
        }
      }),
      fcParams(100),
    );
  });

  // A deliberately false property: "n1 keeps receiving pings until the end". Any schedule
  // that crashes n1 (without a restart), isolates it or partitions it away breaks it.
  // fast-check must shrink the failing schedule to a single action, print the seed, and the
  // printed seed and path must replay to the same counterexample.
  const falseProperty = fc.property(
    faultScheduleArb({ machines: NAMES.slice(0, 3), horizonMs: 2000, maxActions: 12 }),
    (faults) => {
      const sim = new Sim({ seed: 99 });
      sim.net.setDefaultLink({ latency: { kind: "fixed", ms: 1 } });
      const ms = NAMES.slice(0, 3).map((n) => sim.addMachine(n));
      let last = 0;
      ms[0].listen(7, () => {
        last = sim.now();
      });
      for (const m of ms.slice(1)) {
        const startPinging = () => {
          const tick = () => {
            m.send({ address: ms[0].address, port: 7 }, "ping");
            m.after(10, tick);
          };
          tick();
        };
        m.onBoot(startPinging); // after a restart
        startPinging(); // the machine is already up
      }
      applyFaults(sim, faults);
      sim.runFor(2100);
      return sim.now() - last < 50;
    },
  );

  it("a failing property shrinks to a small schedule and replays from its seed", () => {
    const first = fc.check(falseProperty, { seed: 4242, numRuns: 200 });
    expect(first.failed).toBe(true);
    const shrunk = first.counterexample![0];
    expect(shrunk.length).toBeLessThanOrEqual(2);
    expect(first.counterexamplePath).toBeTruthy();
    const replay = fc.check(falseProperty, { seed: first.seed, path: first.counterexamplePath!, numRuns: 1 });
    expect(replay.failed).toBe(true);
    expect(replay.counterexample![0]).toEqual(shrunk);
    // The report fast-check prints on failure carries the seed and path needed to replay.
    expect(() => fc.assert(falseProperty, { seed: 4242, numRuns: 200 })).toThrow(/seed: 4242, path: /);
  });
});
