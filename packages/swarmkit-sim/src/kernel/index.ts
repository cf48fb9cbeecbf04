export { Sim, DEFAULT_EPOCH_MS, type SimOptions } from "./sim";
export { Timer, EventQueue } from "./event-queue";
export { Random } from "./random";
export { Trace, stableJson, type TraceRecord } from "./trace";
export { Network, Source } from "./network";
export { DEFAULT_LINK, sampleLatency, type Latency, type LinkConfig } from "./links";
export { AddressTable, type Endpoint, type Message, type Listener } from "./addresses";
export {
  Machine,
  type World,
  type MachineState,
  type MachineOptions,
  type Interface,
} from "./machine";
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
