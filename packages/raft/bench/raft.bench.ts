// Raft on the step-driven network (every node's host persists each Ready before sending):
//  1. committed entries per wall second on a 5-voter cluster without faults, with ten
//     clients proposing concurrently (target: >= 100,000);
//  2. simulated hours of an idle 5-voter cluster (1 s ticks, heartbeats every tick) per wall
//     second (target: >= 10).
// Each is set against a same-process baseline: a bare array push/shift loop carrying the same
// number of messages through a trivial handler, so the ratio says how close Raft's per-message
// work comes to merely moving the messages.
import type { BenchRow } from "../../../scripts/bench-types";
import { StepNetwork } from "../src";

const VOTERS = [1, 2, 3, 4, 5];

function now(): number {
  return performance.now(); // wall-clock: benchmarks measure real time
}

interface Run {
  ms: number;
  messages: number;
  work: number;
}

/** `total` entries proposed `concurrency` at a time at the leader, until all are committed. */
function throughput(total: number, concurrency: number): Run {
  const net = new StepNetwork(VOTERS, { seed: 1, check: false });
  net.elect(1);
  const leader = net.node(1);
  const start = leader.status().commit;
  const t0 = now();
  let proposed = 0;
  while (proposed < total) {
    for (let i = 0; i < concurrency && proposed < total; i++) leader.propose(proposed++);
    net.process(1);
    net.deliverAll();
  }
  const ms = now() - t0;
  const committed = leader.status().commit - start;
  if (committed < total) throw new Error(`only ${committed} of ${total} entries committed`);
  return { ms, messages: net.delivered, work: committed };
}

/** `ticks` ticks of an idle cluster: heartbeats and their responses, nothing else. */
function idle(ticks: number): Run {
  const net = new StepNetwork(VOTERS, { seed: 1, check: false });
  net.elect(1);
  const before = net.delivered;
  const t0 = now();
  net.tickAll(ticks);
  const ms = now() - t0;
  if (net.leader() !== 1) throw new Error("the idle cluster lost its leader");
  return { ms, messages: net.delivered - before, work: ticks };
}

interface BareMsg {
  to: number;
  term: number;
  index: number;
}

/** The baseline: the same number of messages through a plain queue and a trivial handler. */
function bareLoop(messages: number): number {
  const t0 = now();
  const queue: BareMsg[] = [];
  let sum = 0;
  for (let i = 0; i < 5; i++) queue.push({ to: i, term: 1, index: i });
  for (let n = 0; n < messages; n++) {
    const m = queue.shift()!;
    sum += m.index;
    queue.push({ to: (m.to + 1) % 5, term: m.term, index: m.index + 1 });
  }
  if (sum < 0) throw new Error("unreachable");
  return now() - t0;
}

export function bench(): BenchRow[] {
  // warm up the JIT on both sides
  throughput(20_000, 10);
  idle(3_000);
  bareLoop(200_000);

  const tp = throughput(300_000, 10);
  const tpBare = bareLoop(tp.messages);
  const entriesPerSec = tp.work / (tp.ms / 1000);

  const seq = throughput(50_000, 1);
  const seqPerSec = seq.work / (seq.ms / 1000);

  const ticks = 10 * 3600; // ten simulated hours at one tick per second
  const id = idle(ticks);
  const idleBare = bareLoop(id.messages);
  const hoursPerSec = ticks / 3600 / (id.ms / 1000);

  return [
    {
      name: "raft committed entries/s (5 voters, no faults, 10 concurrent proposers)",
      value: entriesPerSec,
      unit: "entries/s",
      baseline: {
        name: "bare push/shift loop, same messages",
        value: tp.messages / (tpBare / 1000),
        unit: "msgs/s",
      },
      ratio: tpBare / tp.ms,
      target: "entries/s >= 100,000",
      ok: entriesPerSec >= 100_000,
    },
    {
      name: "raft committed entries/s (5 voters, one proposal at a time)",
      value: seqPerSec,
      unit: "entries/s",
    },
    {
      name: "raft idle 5-voter cluster (1 s ticks, heartbeats)",
      value: hoursPerSec,
      unit: "simulated h per wall s",
      baseline: {
        name: "bare push/shift loop, same messages",
        value: id.messages / (idleBare / 1000),
        unit: "msgs/s",
      },
      ratio: idleBare / id.ms,
      target: "simulated hours per wall second >= 10",
      ok: hoursPerSec >= 10,
    },
  ];
}
