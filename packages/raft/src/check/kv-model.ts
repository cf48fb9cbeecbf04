// The model of a key-value store for the linearizability checker: get, put, append and
// compare-and-swap on string values. Keys are independent, so a history is checked one key
// at a time.
import type { Model, Operation } from "./linearizability";

export type KvInput =
  | { op: "get"; key: string }
  | { op: "put"; key: string; value: string }
  | { op: "append"; key: string; value: string }
  | { op: "cas"; key: string; expected: string | null; value: string }
  | { op: "delete"; key: string };

/** get: the value (null when absent); cas: whether it swapped; put/append/delete: null. */
export type KvOutput = string | null | boolean;

/** One key's value; null when the key is absent. */
export type KvState = string | null;

export type KvOperation = Operation<KvInput, KvOutput>;

/** What a key-value state machine answers to `input` in `state`, and the state after it. */
export function applyKv(state: KvState, input: KvInput): [KvOutput, KvState] {
  switch (input.op) {
    case "get":
      return [state, state];
    case "put":
      return [null, input.value];
    case "append":
      return [null, (state ?? "") + input.value];
    case "cas":
      return state === input.expected ? [true, input.value] : [false, state];
    case "delete":
      return [null, null];
  }
}

export const kvModel: Model<KvState, KvInput, KvOutput> = {
  partition(history) {
    const byKey = new Map<string, Operation<KvInput, KvOutput>[]>();
    for (const op of history) {
      let list = byKey.get(op.input.key);
      if (!list) byKey.set(op.input.key, (list = []));
      list.push(op);
    }
    return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
  },
  init: () => null,
  step(state, input, output, known) {
    const [expected, next] = applyKv(state, input);
    if (!known) return [true, next];
    return [expected === (output ?? null), next];
  },
  equal: (a, b) => a === b,
  hash: (s) => s ?? "\u0000",
  describeOperation(input, output, known) {
    const out = known ? JSON.stringify(output ?? null) : "?";
    switch (input.op) {
      case "get":
        return `get(${input.key}) -> ${out}`;
      case "put":
        return `put(${input.key}, ${JSON.stringify(input.value)}) -> ${out}`;
      case "append":
        return `append(${input.key}, ${JSON.stringify(input.value)}) -> ${out}`;
      case "cas":
        return `cas(${input.key}, ${JSON.stringify(input.expected)}, ${JSON.stringify(input.value)}) -> ${out}`;
      case "delete":
        return `delete(${input.key}) -> ${out}`;
    }
  },
  describeState: (s) => JSON.stringify(s),
};
