export { Sim, DEFAULT_EPOCH_MS, type SimOptions } from "./sim";
export { Timer, EventQueue } from "./event-queue";
export { Random } from "./random";
export { Trace, stableJson, type TraceRecord } from "./trace";
export {
  Network,
  DEFAULT_LINK,
  sampleLatency,
  type Latency,
  type LinkConfig,
  type Endpoint,
  type Message,
} from "./network";
export { Machine, type MachineState, type MachineOptions, type Interface } from "./machine";
export { Disk } from "./disk";
export {
  applyFault,
  applyFaults,
  healAll,
  faultScheduleArb,
  type FaultAction,
  type FaultKind,
  type FaultScheduleOptions,
} from "./faults";
