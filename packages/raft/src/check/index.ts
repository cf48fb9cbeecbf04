// Checkers any host can attach: Raft's safety invariants, and linearizability of histories.
export {
  InvariantChecker,
  InvariantViolation,
  type InvariantCheckerOptions,
  type InvariantName,
  type RaftObserver,
} from "./invariants";
export {
  checkOperations,
  describeLinearizability,
  type CheckOptions,
  type LinearizabilityOutcome,
  type LinearizabilityResult,
  type Model,
  type Operation,
} from "./linearizability";
export { applyKv, kvModel, type KvInput, type KvOperation, type KvOutput, type KvState } from "./kv-model";
