import fc from "fast-check";
import { applyFaults, faultScheduleArb, healAll } from "../src/kernel/index";
import { RaftCluster } from "../test/raft-harness";
const NAMES = ["m1","m2","m3","m4","m5"];
let found = 0, total = 0; const kinds = new Map<string, number>();
for (const c of fc.sample(fc.record({ size: fc.integer({min:3,max:5}), seed: fc.integer({min:1,max:1e6}) }).chain(c => faultScheduleArb({ machines: NAMES.slice(0,c.size), horizonMs: 120000, maxActions: 16, kinds: ["partition","heal","isolate","crash","restart"] }).map(faults => ({...c, faults}))), { seed: 3, numRuns: 300 })) {
  total++;
  try {
    const cluster = new RaftCluster({ size: c.size, seed: c.seed, link: { latency: { kind: "normal", mean: 3, stddev: 2, floor: 0.5 }, loss: 0.05 }, host: { checkQuorum: false, bugs: { raft: { commitPreviousTermByCount: true } } } });
    const { sim } = cluster; applyFaults(sim, c.faults);
    const rng = sim.random.fork("w"); let seq = 0;
    const p = () => { if (sim.now() > 120000) return; cluster.hosts[rng.int(c.size)].propose(seq++, () => {}, { forward: true }); sim.after(300, p); }; sim.after(100, p);
    sim.runFor(120000); healAll(sim); sim.runFor(60000);
  } catch (e: any) { found++; kinds.set(e.invariant ?? e.message.slice(0, 50), (kinds.get(e.invariant ?? e.message.slice(0,50)) ?? 0) + 1); }
}
console.log(found, "of", total, kinds);
