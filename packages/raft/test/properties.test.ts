// Property tests on the step-driven network: clusters of 1 to 7 voters under random
// schedules of ticks, deliveries, loss, duplication, reordering, partitions, crashes and
// restarts, proposals, reads, snapshots and leadership transfers. The invariant checker
// watches every Ready; after the faults heal, a leader must appear within a bounded number
// of ticks and every entry any node applied must be applied everywhere.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StepNetwork } from "../src";
import { fcParams } from "./fc-params";

type Action =
  | { k: "tick"; node: number; n: number }
  | { k: "tickAll"; n: number }
  | { k: "deliver"; n: number }
  | { k: "propose"; node: number }
  | { k: "read"; node: number }
  | { k: "crash"; node: number }
  | { k: "restart"; node: number }
  | { k: "isolate"; node: number }
  | { k: "partition"; side: boolean[] }
  | { k: "heal" }
  | { k: "drop"; n: number }
  | { k: "shuffle" }
  | { k: "duplicate"; p: number }
  | { k: "transfer"; node: number; to: number };

const node = fc.integer({ min: 0, max: 6 });
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ k: fc.constant("tick" as const), node, n: fc.integer({ min: 1, max: 25 }) }),
  },
  {
    weight: 5,
    arbitrary: fc.record({ k: fc.constant("tickAll" as const), n: fc.integer({ min: 1, max: 5 }) }),
  },
  {
    weight: 6,
    arbitrary: fc.record({ k: fc.constant("deliver" as const), n: fc.integer({ min: 1, max: 60 }) }),
  },
  { weight: 6, arbitrary: fc.record({ k: fc.constant("propose" as const), node }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("read" as const), node }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("crash" as const), node }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("restart" as const), node }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("isolate" as const), node }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant("partition" as const),
      side: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("heal" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant("drop" as const), n: fc.integer({ min: 1, max: 10 }) }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("shuffle" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant("duplicate" as const), p: fc.constantFrom(0, 0.1, 0.3) }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("transfer" as const), node, to: node }) },
);

interface Scenario {
  voters: number;
  seed: number;
  preVote: boolean;
  checkQuorum: boolean;
  snapshotEvery: number;
  actions: Action[];
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  voters: fc.integer({ min: 1, max: 7 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  preVote: fc.boolean(),
  checkQuorum: fc.boolean(),
  snapshotEvery: fc.constantFrom(0, 3, 10),
  actions: fc.array(action, { maxLength: 150 }),
});

/** Ticks (all nodes, delivering after each round) allowed for a leader to appear after healing. */
const ELECTION_BOUND = 200;

function run(s: Scenario): void {
  const ids = Array.from({ length: s.voters }, (_, i) => i + 1);
  const net = new StepNetwork(ids, {
    seed: s.seed,
    config: { preVote: s.preVote, checkQuorum: s.checkQuorum, maxInflightMsgs: 4, maxEntriesPerMsg: 3 },
    snapshotEvery: s.snapshotEvery,
    keepEntries: 2,
  });
  const pick = (i: number) => ids[i % ids.length];
  // Every entry any node applied: acknowledged as committed, so it must survive everything.
  const acknowledged = new Set<unknown>();
  net.onReady = (_, rd) => {
    for (const e of rd.committedEntries)
      if (e.type === "normal" && e.data !== undefined) acknowledged.add(e.data);
  };
  let seq = 0;
  for (const a of s.actions) {
    switch (a.k) {
      case "tick":
        if (net.nodes.has(pick(a.node))) net.tick(pick(a.node), a.n);
        break;
      case "tickAll":
        for (let i = 0; i < a.n; i++) for (const id of net.ids()) net.tick(id);
        break;
      case "deliver":
        for (let i = 0; i < a.n && net.deliverOne(); i++) {}
        break;
      case "propose":
        if (net.nodes.has(pick(a.node))) net.propose(pick(a.node), `p${seq++}`);
        break;
      case "read":
        if (net.nodes.has(pick(a.node))) {
          net.node(pick(a.node)).readIndex(`r${seq++}`);
          net.process(pick(a.node));
        }
        break;
      case "crash":
        net.crash(pick(a.node));
        break;
      case "restart":
        if (!net.nodes.has(pick(a.node))) net.restart(pick(a.node));
        break;
      case "isolate":
        net.isolate(pick(a.node));
        break;
      case "partition": {
        const left = ids.filter((_, i) => a.side[i]);
        const right = ids.filter((_, i) => !a.side[i]);
        for (const x of left) for (const y of right) net.cut(x, y);
        break;
      }
      case "heal":
        net.heal();
        break;
      case "drop":
        for (let i = 0; i < a.n && net.pending() > 0; i++) {
          net.filter = () => false;
          net.deliverOne();
          net.filter = undefined;
        }
        break;
      case "shuffle":
        net.shuffle();
        break;
      case "duplicate":
        net.duplicateRate = a.p;
        break;
      case "transfer":
        if (net.nodes.has(pick(a.node))) {
          net.node(pick(a.node)).transferLeadership(pick(a.to));
          net.process(pick(a.node));
        }
        break;
    }
  }

  // Heal everything; a leader must appear within the bound.
  net.heal();
  for (const id of ids) if (!net.nodes.has(id)) net.restart(id);
  const marker = `final${seq}`;
  const everywhere = () => ids.every((id) => net.applied.get(id)!.includes(marker));
  let rounds = 0;
  const tick = () => {
    net.tickAll(1);
    if (++rounds > ELECTION_BOUND)
      throw new Error(`no stable, working leader ${ELECTION_BOUND} ticks after healing`);
  };
  // A marker entry through the leader flushes everything before it to every node. A leader
  // may still lose its office to a node whose election timer was nearly due (the proposal
  // is then lost, never acknowledged) or refuse it during a transfer: retry, as a host would.
  while (!everywhere()) {
    while (net.leader() === 0 || !leaderIsStable(net)) tick();
    if (!net.propose(net.leader(), marker)) {
      tick();
      continue;
    }
    for (let i = 0; i < 5 && !everywhere(); i++) tick();
  }
  const reference = net.applied.get(ids[0])!;
  for (const id of ids) expect(net.applied.get(id)).toEqual(reference);
  const kept = new Set(reference);
  for (const d of acknowledged) if (!kept.has(d)) throw new Error(`acknowledged entry ${String(d)} was lost`);
}

/** A leader whose term every node has reached (no node is about to depose it). */
function leaderIsStable(net: StepNetwork): boolean {
  const term = net.node(net.leader()).status().term;
  return net
    .ids()
    .every((id) => net.node(id).status().term === term && net.node(id).status().lead === net.leader());
}

describe("Raft under random faults (step-driven network)", () => {
  it("keeps every invariant, re-elects after healing, and converges", () => {
    fc.assert(
      fc.property(scenario, (s) => run(s)),
      fcParams(300, "properties.test.ts"),
    );
  });
});
