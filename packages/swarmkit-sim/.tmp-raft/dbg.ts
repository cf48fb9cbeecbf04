import { applyFaults, healAll } from "../src/kernel/index";
import { RaftCluster } from "../test/raft-harness";
const c = { size: 2, seed: 815175, preVote: false, loss: 0, duplicate: 0, reorder: 0, proposeEveryMs: 200, faults: [{ at: 0, loss: 0.08822330832481386, durationMs: 26574, kind: "lossBurst" }, { at: 88001, machine: "m1", kind: "isolate" }] } as any;
const cluster = new RaftCluster({ size: c.size, seed: c.seed, link: { latency: { kind: "normal", mean: 3, stddev: 2, floor: 0.5 }, loss: c.loss, duplicate: c.duplicate, reorder: c.reorder }, host: { preVote: c.preVote, snapshotInterval: 25, logEntriesForSlowFollowers: 5, maxEntriesPerMsg: 8 } });
const { sim } = cluster;
applyFaults(sim, c.faults);
const rng = sim.random.fork("test/workload");
let seq = 0;
const propose = () => { if (sim.now() >= 120000) return; const host = cluster.hosts[rng.int(cluster.hosts.length)]; host.propose(`p${seq++}`, () => {}, { forward: true }); sim.after(c.proposeEveryMs * rng.range(0.5, 1.5), propose); };
sim.after(rng.range(0, c.proposeEveryMs), propose);
sim.trace.onRecord = (r) => { if (r.type.startsWith("raft.leader") || r.type.startsWith("fault") || r.type.startsWith("net.")) console.log(r.t.toFixed(0), r.type, JSON.stringify(r.fields)); };
sim.runFor(120000);
healAll(sim);
for (let i = 0; i < 12; i++) { sim.runFor(10000); console.log(sim.now(), cluster.hosts.map(h => { const s = h.status()!; return `${h.id}:${s.raftState} t${s.term} l${s.lead} c${s.commit}/${s.lastIndex} el`; }).join(" | ")); }
