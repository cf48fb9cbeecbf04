// Property tests of membership changes on the step-driven network: clusters of 1 to 5 voters
// and up to 3 spare nodes under random schedules of additions and removals (a leader removing
// itself among them), lossy links, partitions, crashes and restarts, proposals and ticks. The
// invariant checker watches every Ready. After the faults heal, a leader must appear among the
// voters of the latest membership within a bounded number of ticks, and every entry any node
// applied must be applied by all of that leader's voters.
//
// The schedules are long and lossy enough to find the self-removal stall (a leader that
// removes itself and steps down before the others learn the removal is committed): with the
// leader stepping down at once (bugs.skipRemovalHandover) about 1 case in 100 ends without a
// leader (107 of 10,000 in a sweep; 0 of 20,000 with the hand-over), so 1000 cases find it all
// but surely; the last test runs them so and expects the property to fail.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type NodeId, type RaftBugs, StepNetwork } from "../src";
import { fcParams } from "./fc-params";

type Action =
  | { k: "rounds"; n: number }
  | { k: "tick"; node: number; n: number }
  | { k: "deliver"; n: number }
  | { k: "propose"; node: number }
  | { k: "add" }
  | { k: "remove"; pick: number }
  | { k: "removeLeader"; thenPropose: boolean }
  | { k: "loss"; p: number }
  | { k: "crash"; node: number }
  | { k: "restart"; node: number }
  | { k: "partition"; side: boolean[] }
  | { k: "heal" };

const node = fc.nat(7);
const action: fc.Arbitrary<Action> = fc.oneof(
  // Rounds: every node ticks, then every message in flight is delivered (or lost).
  {
    weight: 8,
    arbitrary: fc.record({ k: fc.constant("rounds" as const), n: fc.integer({ min: 1, max: 10 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant("tick" as const), node, n: fc.integer({ min: 1, max: 25 }) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ k: fc.constant("deliver" as const), n: fc.integer({ min: 1, max: 12 }) }),
  },
  { weight: 4, arbitrary: fc.record({ k: fc.constant("propose" as const), node }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("add" as const) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("remove" as const), pick: fc.nat(6) }) },
  {
    weight: 4,
    arbitrary: fc.record({ k: fc.constant("removeLeader" as const), thenPropose: fc.boolean() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ k: fc.constant("loss" as const), p: fc.constantFrom(0, 0.2, 0.5, 0.8) }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("crash" as const), node }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("restart" as const), node }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant("partition" as const),
      side: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("heal" as const) }) },
);

export interface MembershipScenario {
  voters: number;
  /** Loss on every link while the faults run (restored after each heal). */
  loss: number;
  spares: number;
  seed: number;
  preVote: boolean;
  checkQuorum: boolean;
  actions: Action[];
}

export const membershipScenario: fc.Arbitrary<MembershipScenario> = fc.record({
  // Small clusters more often: a removal matters most where a quorum is all or most of them.
  voters: fc.constantFrom(1, 2, 2, 2, 2, 3, 3, 4, 5),
  loss: fc.constantFrom(0, 0.3, 0.5, 0.5, 0.7),
  spares: fc.integer({ min: 0, max: 3 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  preVote: fc.boolean(),
  checkQuorum: fc.boolean(),
  actions: fc.array(action, { minLength: 20, maxLength: 200 }),
});

/** Ticks (all nodes, delivering after each round) allowed for a leader to appear after healing. */
const ELECTION_BOUND = 300;

export function runMembership(s: MembershipScenario, bugs: RaftBugs = {}): void {
  const initial = Array.from({ length: s.voters }, (_, i) => i + 1);
  const all = Array.from({ length: s.voters + s.spares }, (_, i) => i + 1);
  const net = new StepNetwork(initial, {
    seed: s.seed,
    config: { preVote: s.preVote, checkQuorum: s.checkQuorum, maxInflightMsgs: 4, maxEntriesPerMsg: 3, bugs },
  });
  const created = new Set<NodeId>(initial);
  let nextSpare = s.voters + 1;
  const acknowledged = new Set<unknown>();
  net.onReady = (_, rd) => {
    for (const e of rd.committedEntries)
      if (e.type === "normal" && e.data !== undefined) acknowledged.add(e.data);
  };
  const live = (id: NodeId) => net.nodes.has(id);
  const setLoss = (p: number) => {
    for (const x of all) for (const y of all) if (x !== y) net.lossy(x, y, p);
  };
  setLoss(s.loss);
  const pick = (i: number) => all[i % all.length];
  const leader = () => net.leader();
  let seq = 0;
  for (const a of s.actions) {
    switch (a.k) {
      case "rounds":
        // Clients keep writing: an entry at the leader every round.
        for (let i = 0; i < a.n; i++) {
          if (leader() !== 0) net.propose(leader(), `p${seq++}`);
          net.tickAll(1);
        }
        break;
      case "tick":
        if (live(pick(a.node))) net.tick(pick(a.node), a.n);
        break;
      case "deliver":
        for (let i = 0; i < a.n && net.deliverOne(); i++) {}
        break;
      case "propose":
        if (live(pick(a.node))) net.propose(pick(a.node), `p${seq++}`);
        break;
      case "add": {
        const l = leader();
        if (l === 0 || nextSpare > all.length) break;
        const id = nextSpare++;
        net.addNode(id);
        created.add(id);
        net.node(l).proposeConfChange({ type: "addNode", nodeId: id });
        net.process(l);
        break;
      }
      case "remove": {
        const l = leader();
        if (l === 0) break;
        const voters = net.node(l).status().voters;
        net.node(l).proposeConfChange({ type: "removeNode", nodeId: voters[a.pick % voters.length] });
        net.process(l);
        break;
      }
      case "removeLeader": {
        const l = leader();
        if (l === 0) break;
        net.node(l).proposeConfChange({ type: "removeNode", nodeId: l });
        // Writes go on meanwhile: an entry after the removal, before it is applied.
        if (a.thenPropose) net.node(l).propose(`p${seq++}`);
        net.process(l);
        break;
      }
      case "loss":
        setLoss(a.p);
        break;
      case "crash":
        net.crash(pick(a.node));
        break;
      case "restart":
        if (created.has(pick(a.node)) && !live(pick(a.node))) net.restart(pick(a.node));
        break;
      case "partition": {
        const left = all.filter((_, i) => a.side[i]);
        const right = all.filter((_, i) => !a.side[i]);
        for (const x of left) for (const y of right) net.cut(x, y);
        break;
      }
      case "heal":
        net.heal();
        setLoss(s.loss);
        break;
    }
  }

  // Heal everything and bring every node back; a leader must appear within the bound.
  net.heal();
  for (const id of created) if (!live(id)) net.restart(id);
  let rounds = 0;
  const tick = () => {
    net.tickAll(1);
    if (++rounds > ELECTION_BOUND) throw new Error(`no stable leader ${ELECTION_BOUND} ticks after healing`);
  };
  const marker = `final${seq}`;
  const everywhere = () => {
    const l = stableLeader(net);
    return (
      l !== 0 &&
      net
        .node(l)
        .status()
        .voters.every((v) => net.applied.get(v)!.includes(marker))
    );
  };
  while (!everywhere()) {
    while (stableLeader(net) === 0) tick();
    if (!net.propose(stableLeader(net), marker)) {
      tick();
      continue;
    }
    for (let i = 0; i < 5 && !everywhere(); i++) tick();
  }
  const l = stableLeader(net);
  const reference = net.applied.get(l)!;
  for (const v of net.node(l).status().voters) expect(net.applied.get(v)).toEqual(reference);
  const kept = new Set(reference);
  for (const d of acknowledged) if (!kept.has(d)) throw new Error(`acknowledged entry ${String(d)} was lost`);
}

/** The leader with the highest term whose voters all follow it in its term, or 0. */
function stableLeader(net: StepNetwork): NodeId {
  const l = net.leader();
  if (l === 0) return 0;
  const s = net.node(l).status();
  const ok = s.voters.every((v) => {
    if (!net.nodes.has(v)) return false;
    const vs = net.node(v).status();
    return vs.term === s.term && vs.lead === l;
  });
  return ok ? l : 0;
}

describe("membership changes under random faults (step-driven network)", () => {
  it("keeps every invariant, elects a leader of the latest membership after healing, and converges", () => {
    fc.assert(
      fc.property(membershipScenario, (s) => runMembership(s)),
      fcParams(1000, "membership-properties.test.ts"),
    );
  });

  it("finds the self-removal stall when a removed leader steps down at once (bugs.skipRemovalHandover)", () => {
    const r = fc.check(
      fc.property(membershipScenario, (s) => runMembership(s, { skipRemovalHandover: true })),
      { numRuns: 1000, seed: 1, endOnFailure: true },
    );
    expect(r.failed).toBe(true);
    expect(String(r.errorInstance)).toMatch(/no stable leader/);
  });
});
