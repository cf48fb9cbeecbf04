import fc from "fast-check";
import { checkOperations, kvModel, type KvInput, type KvOperation } from "../../raft/src/index";
import { applyFaults, faultScheduleArb, healAll } from "../src/kernel/index";
import { KvClient, RaftCluster } from "../test/raft-harness";
let found = 0, total = 0;
const NAMES = ["m1","m2","m3","m4","m5"];
fc.assert(fc.property(fc.record({ size: fc.integer({min:3,max:5}), seed: fc.integer({min:1,max:1e6}), clients: fc.integer({min:2,max:5}) }).chain(c => faultScheduleArb({ machines: NAMES.slice(0,c.size), horizonMs: 90000, maxActions: 10, kinds: ["partition","heal","isolate","crash","restart","pause","resume","lossBurst","cut"] }).map(faults => ({...c, faults}))), (c) => {
  const cluster = new RaftCluster({ size: c.size, seed: c.seed, link: { latency: { kind: "normal", mean: 3, stddev: 2, floor: 0.5 }, loss: 0.02, duplicate: 0.01 }, host: { requestTimeoutMs: 8000, snapshotInterval: 30, logEntriesForSlowFollowers: 5 } });
  const { sim } = cluster; applyFaults(sim, c.faults);
  const history: KvOperation[] = []; const rng = sim.random.fork("test/clients"); let n = 0;
  for (let i = 0; i < c.clients; i++) { const client = new KvClient(i, cluster, history, "unsafeLocal");
    const next = () => { if (sim.now() >= 90000) return; const key = rng.pick(["a","b"]); const value = `${i}.${n++}`; const r = rng.next();
      const input: KvInput = r < 0.4 ? { op: "get", key } : r < 0.6 ? { op: "put", key, value } : r < 0.8 ? { op: "append", key, value: `${value};` } : { op: "cas", key, expected: null, value };
      client.run(input, 1 + rng.int(c.size), () => sim.after(rng.range(50, 1500), next)); };
    sim.after(rng.range(0, 2000), next); }
  sim.runFor(90000); healAll(sim); sim.runFor(60000);
  total++; if (checkOperations(kvModel, history).outcome === "illegal") found++;
}), { numRuns: 60, seed: 1 });
console.log(`unsafe local reads: ${found} of ${total} random runs not linearizable`);
