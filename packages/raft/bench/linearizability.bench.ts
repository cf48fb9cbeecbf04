// The linearizability checker (src/check/linearizability.ts) against its previous version,
// kept below as the BASELINE, on generated register histories that each need at least 10^6
// search steps (illegal ones: the search must exhaust every order). Both run in this process,
// interleaved, best of two rounds each; the row is search steps per wall second, and the
// target is the new checker at 2.5 times the baseline or better. Both must agree on every
// outcome and step count (the search order is the same; only the memo differs).
import type { BenchRow } from "../../../scripts/bench-types";
import {
  type CheckOptions,
  checkOperations,
  type LinearizabilityOutcome,
  type LinearizabilityResult,
  type Model,
  type Operation,
  kvModel,
} from "../src";
import { registerHistory } from "./histories";

function now(): number {
  return performance.now(); // wall-clock: benchmarks measure real time
}

/** Seeds of registerHistory({ ops: 160, clients: 6, unknownRate: 0.1, corrupt: true }) that need >= 10^6 steps. */
export const HARD_SEEDS = [4, 14];
export const HARD_SHAPE = { ops: 160, clients: 6, unknownRate: 0.1, corrupt: true } as const;

export function bench(): BenchRow[] {
  const histories = HARD_SEEDS.map((seed) => registerHistory({ seed, ...HARD_SHAPE }));
  const opts = { maxSteps: 50_000_000 };
  // warm up both on a small history
  const warm = registerHistory({ seed: 1, ops: 60, clients: 4, unknownRate: 0.1, corrupt: true });
  for (let i = 0; i < 3; i++) {
    checkOperations(kvModel, warm, opts);
    checkOperationsBaseline(kvModel, warm, opts);
  }
  let bestNew = Number.POSITIVE_INFINITY;
  let bestOld = Number.POSITIVE_INFINITY;
  let steps = 0;
  for (let round = 0; round < 2; round++) {
    let t0 = now();
    const olds = histories.map((h) => checkOperationsBaseline(kvModel, h, opts));
    bestOld = Math.min(bestOld, now() - t0);
    t0 = now();
    const news = histories.map((h) => checkOperations(kvModel, h, opts));
    bestNew = Math.min(bestNew, now() - t0);
    steps = 0;
    news.forEach((r, i) => {
      const o = olds[i];
      if (r.outcome !== o.outcome || r.steps !== o.steps)
        throw new Error(
          `checkers disagree on history ${HARD_SEEDS[i]}: ${r.outcome}/${r.steps} vs baseline ${o.outcome}/${o.steps}`,
        );
      if (r.steps < 1_000_000) throw new Error(`history ${HARD_SEEDS[i]} needs only ${r.steps} steps`);
      steps += r.steps;
    });
  }
  const perSec = steps / (bestNew / 1000);
  const basePerSec = steps / (bestOld / 1000);
  const ratio = bestOld / bestNew;
  return [
    {
      name: `linearizability checker on ${histories.length} illegal register histories (${steps.toLocaleString("en-US")} steps)`,
      value: perSec,
      unit: "steps/s",
      baseline: {
        name: "the previous checker (string-keyed memo, partitions in turn)",
        value: basePerSec,
        unit: "steps/s",
      },
      ratio,
      target: "ratio >= 2.5",
      ok: ratio >= 2.5,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// BASELINE: checkOperations as it was before the 64-bit hashed memo and the interleaving of
// partitions (copied unchanged, renamed). It memoises by strings built from the linearized set
// (`words.join(",")`) in a Map, and checks the partitions one after another under one budget.
// Kept only as the benchmark's baseline and as the reference the property test compares with.
// ---------------------------------------------------------------------------------------------

interface Ev {
  op: number;
  isCall: boolean;
  time: number;
  ret: Ev | undefined;
  prev: Ev | undefined;
  next: Ev | undefined;
}

export function checkOperationsBaseline<S, I, O>(
  model: Model<S, I, O>,
  history: readonly Operation<I, O>[],
  opts: CheckOptions = {},
): LinearizabilityResult<I, O> {
  const parts = model.partition ? model.partition(history) : [history.slice()];
  let budget = opts.maxSteps ?? 5_000_000;
  let steps = 0;
  let sawUnknown = false;
  for (const part of parts) {
    const r = checkPartition(model, part, budget);
    steps += r.steps;
    budget -= r.steps;
    if (r.outcome === "illegal")
      return { outcome: "illegal", failingPartition: part, longestLinearized: r.longest, steps };
    if (r.outcome === "unknown") {
      sawUnknown = true;
      if (budget <= 0) break;
    }
  }
  return { outcome: sawUnknown ? "unknown" : "ok", steps };
}
function buildEvents<I, O>(ops: readonly Operation<I, O>[]): Ev | undefined {
  const evs: Ev[] = [];
  ops.forEach((op, i) => {
    const ret: Ev = {
      op: i,
      isCall: false,
      time: op.return ?? Number.POSITIVE_INFINITY,
      ret: undefined,
      prev: undefined,
      next: undefined,
    };
    evs.push({ op: i, isCall: true, time: op.call, ret, prev: undefined, next: undefined }, ret);
  });
  // By time; at equal times calls first, so that touching operations count as concurrent
  // (the permissive reading, as Porcupine does).
  evs.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.op - b.op : a.isCall ? -1 : 1));
  for (let i = 0; i < evs.length; i++) {
    evs[i].prev = evs[i - 1];
    evs[i].next = evs[i + 1];
  }
  return evs[0];
}

/** Takes a call and its return out of the list (the operation is linearized). */
function lift(call: Ev): void {
  call.prev!.next = call.next;
  if (call.next) call.next.prev = call.prev;
  const ret = call.ret!;
  ret.prev!.next = ret.next;
  if (ret.next) ret.next.prev = ret.prev;
}

/** Puts them back, in the reverse order of lift. */
function unlift(call: Ev): void {
  const ret = call.ret!;
  ret.prev!.next = ret;
  if (ret.next) ret.next.prev = ret;
  call.prev!.next = call;
  if (call.next) call.next.prev = call;
}

class Bitset {
  readonly words: Uint32Array;
  constructor(n: number, words?: Uint32Array) {
    this.words = words ?? new Uint32Array((n + 31) >>> 5);
  }
  set(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
  }
  clear(i: number): void {
    this.words[i >>> 5] &= ~(1 << (i & 31));
  }
  key(): string {
    return this.words.join(",");
  }
}

function checkPartition<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  budget: number,
): { outcome: LinearizabilityOutcome; steps: number; longest?: Operation<I, O>[] } {
  const first = buildEvents(ops);
  if (!first) return { outcome: "ok", steps: 0 };
  const head: Ev = {
    op: -1,
    isCall: false,
    time: Number.NEGATIVE_INFINITY,
    ret: undefined,
    prev: undefined,
    next: first,
  };
  first.prev = head;

  const linearized = new Bitset(ops.length);
  const memo = new Map<string, S[]>();
  const stack: { call: Ev; state: S }[] = [];
  let longest: number[] = [];
  let state = model.init();
  let ev: Ev | undefined = first;
  let steps = 0;

  while (head.next) {
    if (++steps > budget) return { outcome: "unknown", steps };
    if (!ev) throw new Error("linearizability: walked off the event list");
    if (ev.isCall) {
      const op = ops[ev.op];
      const known = op.return !== undefined;
      const [ok, next] = model.step(state, op.input, known ? op.output : undefined, known);
      if (ok) {
        linearized.set(ev.op);
        const key = `${linearized.key()}|${model.hash ? model.hash(next) : ""}`;
        const seen = memo.get(key);
        if (!seen?.some((s) => model.equal(s, next))) {
          if (seen) seen.push(next);
          else memo.set(key, [next]);
          stack.push({ call: ev, state });
          state = next;
          lift(ev);
          ev = head.next;
          continue;
        }
        linearized.clear(ev.op);
      }
      ev = ev.next;
    } else {
      // A return reached before its call was linearized: undo the last choice.
      if (stack.length > longest.length) longest = stack.map((s) => s.call.op);
      const top = stack.pop();
      if (!top) {
        return { outcome: "illegal", steps, longest: longest.map((i) => ops[i]) };
      }
      state = top.state;
      linearized.clear(top.call.op);
      unlift(top.call);
      ev = top.call.next;
    }
  }
  return { outcome: "ok", steps };
}
