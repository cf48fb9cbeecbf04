// What the linearizability checker reads: a history of operations as the clients saw them, and
// the sequential model they are checked against. Apart from the checker so that its search
// (partition-search.ts) and its driver (linearizability.ts) both take them from here.

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
