// A linearizability checker in the manner of Porcupine: the Wing–Gong search with Lowe's
// memoization (a search state is the set of operations linearized so far plus the model
// state; one seen before is never explored again), run separately on each partition of the
// history (P-compositionality: e.g. each key of a key-value store on its own).
//
// An operation whose outcome is unknown (no return: the client timed out or crashed) gets a
// return time of +infinity: it may take effect at any point after its call, or never (taking
// effect after everything else is indistinguishable from never).
//
// The search is bounded by a step budget instead of a wall-clock timeout, so the answer is
// deterministic; past the budget the result is "unknown".

export interface Operation<I = unknown, O = unknown> {
  clientId: number | string;
  input: I;
  /** When the client invoked it. */
  call: number;
  /** When the client got the answer; undefined when the outcome is unknown. */
  return?: number;
  /** The answer; ignored when `return` is undefined. */
  output?: O;
}

export interface Model<S, I, O> {
  /** Splits the history into independent parts (default: one part). */
  partition?(history: readonly Operation<I, O>[]): Operation<I, O>[][];
  init(): S;
  /**
   * Applies input to state. `known` is false for an operation whose output is unknown: any
   * output is then acceptable. Returns whether `output` is what this state would answer, and
   * the next state.
   */
  step(state: S, input: I, output: O | undefined, known: boolean): [boolean, S];
  equal(a: S, b: S): boolean;
  /** A cheap fingerprint of a state, for the memo table (default: a constant). */
  hash?(state: S): string | number;
  describeOperation?(input: I, output: O | undefined, known: boolean): string;
  describeState?(state: S): string;
}

export type LinearizabilityOutcome = "ok" | "illegal" | "unknown";

export interface LinearizabilityResult<I = unknown, O = unknown> {
  outcome: LinearizabilityOutcome;
  /** For "illegal": the partition no order can explain. */
  failingPartition?: Operation<I, O>[];
  /** For "illegal": the longest sequence of that partition's operations that does linearize. */
  longestLinearized?: Operation<I, O>[];
  /** Search steps taken, over all partitions. */
  steps: number;
}

export interface CheckOptions {
  /** Search steps allowed over the whole history before giving up with "unknown". Default 5e6. */
  maxSteps?: number;
}

/** One event of the doubly-linked list the search walks: a call, or a return. */
interface Ev {
  op: number;
  isCall: boolean;
  time: number;
  /** For a call: its return event. */
  ret: Ev | undefined;
  prev: Ev | undefined;
  next: Ev | undefined;
}

export function checkOperations<S, I, O>(
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

/** A readable account of a result, for test failures. */
export function describeLinearizability<S, I, O>(
  model: Model<S, I, O>,
  r: LinearizabilityResult<I, O>,
): string {
  if (r.outcome === "ok") return `linearizable (${r.steps} search steps)`;
  if (r.outcome === "unknown") return `undecided: search budget exhausted after ${r.steps} steps`;
  const fmt = (op: Operation<I, O>) => {
    const known = op.return !== undefined;
    const what = model.describeOperation
      ? model.describeOperation(op.input, op.output, known)
      : `${JSON.stringify(op.input)} -> ${known ? JSON.stringify(op.output) : "?"}`;
    return `client ${op.clientId} [${op.call}, ${known ? op.return : "∞"}] ${what}`;
  };
  const part = [...(r.failingPartition ?? [])].sort((a, b) => a.call - b.call);
  return [
    "NOT linearizable.",
    "longest linearizable order found:",
    ...(r.longestLinearized ?? []).map((op) => `  ${fmt(op)}`),
    "the partition's operations, by call time:",
    ...part.map((op) => `  ${fmt(op)}`),
  ].join("\n");
}
