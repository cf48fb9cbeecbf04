// A linearizability checker in the manner of Porcupine: the Wing–Gong search with Lowe's
// memoization (a search state is the set of operations linearized so far plus the model
// state; one seen before is never explored again), run on each partition of the history on
// its own (P-compositionality: e.g. each key of a key-value store).
//
// An operation whose outcome is unknown (no return: the client timed out or crashed) gets a
// return time of +infinity: it may take effect at any point after its call, or never (taking
// effect after everything else is indistinguishable from never).
//
// The search is bounded by a step budget instead of a wall-clock timeout, so the answer is
// deterministic; past the budget the result is "unknown". The partitions are searched in
// turns under a doubling slice of steps, so that one intractable partition cannot use up the
// budget before an illegal one is looked at: any partition that is illegal within a few times
// its own search cost is found. The memo is bounded too (see search-memo.ts): a search that
// fills it answers "unknown" rather than exhausting memory.
import type { MemoBudget } from "./search-memo";
import type { Model, Operation } from "./model";
import { PartitionSearch } from "./partition-search";

export type { Model, Operation } from "./model";

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
  /**
   * Memo entries allowed over the whole history (default 2^22); past them, or past 2^25 words
   * of stored sets (128 MiB), the answer is "unknown".
   */
  maxMemoEntries?: number;
}

/** The first turn's steps per partition; each round of turns doubles it. */
const FIRST_SLICE = 1024;
const MAX_MEMO_WORDS = 2 ** 25;

export function checkOperations<S, I, O>(
  model: Model<S, I, O>,
  history: readonly Operation<I, O>[],
  opts: CheckOptions = {},
): LinearizabilityResult<I, O> {
  const parts = model.partition ? model.partition(history) : [history.slice()];
  const budget: MemoBudget = {
    entries: 0,
    words: 0,
    maxEntries: opts.maxMemoEntries ?? 2 ** 22,
    maxWords: MAX_MEMO_WORDS,
  };
  let left = opts.maxSteps ?? 5_000_000;
  let steps = 0;
  let pending = parts.map((p) => ({ part: p, search: new PartitionSearch(model, p, budget) }));
  let gaveUp = false;
  for (let slice = FIRST_SLICE; pending.length > 0 && left > 0; slice *= 2) {
    for (const { part, search } of pending) {
      const used = search.run(Math.min(slice, left));
      steps += used;
      left -= used;
      if (search.state === "illegal")
        return { outcome: "illegal", failingPartition: part, longestLinearized: search.longest, steps };
      if (search.state === "memoFull") gaveUp = true;
      if (left <= 0) break;
    }
    pending = pending.filter((p) => p.search.state === "searching");
  }
  return { outcome: pending.length > 0 || gaveUp ? "unknown" : "ok", steps };
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
