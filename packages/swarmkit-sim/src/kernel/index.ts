// The kernel's public face: the simulation, its machines, network, disks, randomness, trace
// and faults. (The event queue, the address table and the network's Source records are its
// own business.)
export { Sim, DEFAULT_EPOCH_MS, type SimOptions } from "./sim";
export type { Timer } from "./event-queue";
export { Random } from "./random";
export { Trace, type TraceRecord } from "./trace";
export type { Network } from "./network";
export { DEFAULT_LINK, type Latency, type LinkConfig } from "./links";
export type { Endpoint, Message, Listener, Receiver } from "./addresses";
export {
  Machine,
  DEFAULT_CORES,
  DEFAULT_MEMORY_BYTES,
  type World,
  type MachineState,
  type MachineOptions,
  type Interface,
} from "./machine";
export { Cpu, CpuLane, QUANTUM_MS, utilization } from "./cpu";
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
