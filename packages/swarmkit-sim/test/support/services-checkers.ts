// The orchestration checkers live beside the orchestrators (the fuzzer uses them too).
export {
  checkConverged,
  checkGlobalOnePerNode,
  checkNoneOnDrained,
  checkReplicaBound,
} from "../../src/manager/orchestrator/checkers";
