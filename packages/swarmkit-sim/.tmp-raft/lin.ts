import { checkOperations, describeLinearizability, kvModel, type KvInput, type KvOperation } from "../../raft/src/index";
import { healAll } from "../src/kernel/index";
import { KvClient, RaftCluster } from "../test/raft-harness";
const c = { size: 4, seed: 1, clients: 3 };
const cluster = new RaftCluster({ size: c.size, seed: c.seed, link: { latency: { kind: "normal", mean: 3, stddev: 2, floor: 0.5 }, loss: 0.02, duplicate: 0.01 }, host: { requestTimeoutMs: 8000, snapshotInterval: 30, logEntriesForSlowFollowers: 5 } });
const { sim } = cluster;
const history: KvOperation[] = [];
const rng = sim.random.fork("test/clients");
let n = 0;
for (let i = 0; i < c.clients; i++) {
  const client = new KvClient(i, cluster, history);
  const next = () => { if (sim.now() >= 90000) return; const key = rng.pick(["a","b"]); const value = `${i}.${n++}`; const r = rng.next();
    const input: KvInput = r < 0.4 ? { op: "get", key } : r < 0.6 ? { op: "put", key, value } : r < 0.8 ? { op: "append", key, value: `${value};` } : { op: "cas", key, expected: null, value };
    client.run(input, 1 + rng.int(c.size), () => sim.after(rng.range(50, 1500), next)); };
  sim.after(rng.range(0, 2000), next);
}
sim.runFor(90000); healAll(sim); sim.runFor(60000);
console.log("ops", history.length, "known", history.filter(o=>o.return!==undefined).length);
const r = checkOperations(kvModel, history);
console.log(describeLinearizability(kvModel, r).split("\n").slice(0, 400).join("\n"));
