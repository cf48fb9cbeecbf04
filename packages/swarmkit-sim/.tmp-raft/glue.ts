import { Sim } from "/work/main/packages/swarmkit-sim/src/kernel/index";
import { RaftHost, type RaftStateMachine } from "/work/main/packages/swarmkit-sim/src/manager/raft/index";
import { InvariantChecker } from "/work/main/packages/raft/src/index";
const sim = new Sim({ seed: 5 });
sim.net.setDefaultLink({ latency: { kind: "uniform", min: 1, max: 5 } });
const checker = new InvariantChecker({ seed: 5, traceTail: () => sim.trace.tail(20) });
const ms = [1,2,3].map(i => sim.addMachine(`m${i}`, { start: false }));
const peers = ms.map((m, i) => ({ id: i + 1, address: m.address }));
const logs = new Map<number, unknown[]>();
const hosts = ms.map((m, i) => {
  const sm: RaftStateMachine & { log: unknown[] } = { log: [], apply(d) { this.log.push(d); return this.log.length; }, snapshot() { return this.log.slice(); }, restore(d) { this.log = d ? (d as unknown[]).slice() : []; } };
  logs.set(i+1, sm.log);
  const h = new RaftHost({ machine: m, id: i + 1, peers, bootstrap: true, stateMachine: sm, observer: checker, snapshotInterval: 20, logEntriesForSlowFollowers: 5 });
  (h as any).sm = sm;
  return h;
});
for (const m of ms) m.start();
const ok = sim.runUntil(() => hosts.some(h => h.isLeader()), 60_000);
console.log("leader elected", ok, sim.now(), hosts.map(h => h.leader()));
const leader = hosts.find(h => h.isLeader())!;
let done = 0;
for (let i = 0; i < 50; i++) leader.propose(`v${i}`, (err, r) => { if (err) console.log("err", err.message); else done++; });
sim.runFor(2000);
console.log("done", done, hosts.map(h => (h as any).sm.log.length), hosts.map(h=>h.walLength()));
ms[2].crash();
for (let i = 50; i < 100; i++) leader.propose(`v${i}`, (err) => { if (err) console.log("err", err.message); else done++; });
sim.runFor(2000);
ms[2].start();
sim.runFor(5000);
console.log("done", done, hosts.map(h => (h as any).sm.log.length), hosts.map(h=>h.walLength()), hosts.map(h=>h.appliedIndex()));
// follower propose -> lost leader status
hosts.find(h=>!h.isLeader())!.propose("x", (err) => console.log("follower propose:", err?.message));
// read index on follower
const f = hosts.find(h=>!h.isLeader() && h.running)!;
f.readIndex((err) => console.log("read", err?.message ?? "ok", f.appliedIndex(), sim.now()));
sim.runFor(1000);
// kill leader; new leader
const t0 = sim.now();
leader.machine.crash();
sim.runUntil(() => hosts.some(h => h.isLeader() && h !== leader), 60_000);
console.log("new leader after", sim.now() - t0, "ms", hosts.map(h => h.leader()));
console.log(sim.trace.hash().slice(0, 16), sim.eventsRun);
