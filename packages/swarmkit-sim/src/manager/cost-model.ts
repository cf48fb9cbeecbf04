// What a manager's work costs its machine: milliseconds of one core per operation (the CPU
// model), and the memory its state takes (the memory model). The manager charges these to its
// machine's CPU queue (kernel/cpu.ts): requests wait for a core, so a saturated manager answers
// heartbeats late and its nodes flap, and a large scheduling pass holds a core for seconds. The
// figures and the public measurements they come from are in the package README ("Managers with
// a CPU"); the ones no measurement pins are estimates, said so there. `null` switches the model
// off: nothing is charged and every operation takes effect at once, as before.
import type { MemoryStore } from "./store/memory-store";

export interface CostModel {
  /** Every request a manager serves: gRPC over TLS, unmarshal, marshal, send. */
  requestMs: number;
  /** A new mutually authenticated connection (TLS handshake, two certificate checks). */
  handshakeMs: number;
  /** A dispatcher heartbeat, on top of the request: session lookup, expiry moved. */
  heartbeatMs: number;
  /** A dispatcher session (registration): node status queued, the first assignment set. */
  sessionMs: number;
  /** Each task status in an UpdateTaskStatus request. */
  taskStatusMs: number;
  /** Pushing a node its changed assignments: per push, and per task changed. */
  pushMs: number;
  assignmentMs: number;
  /** Signing a node certificate (NodeCA.IssueNodeCertificate). */
  signMs: number;
  /** Each object a list call returns (Control.ListNodes, ListTasks). */
  listObjectMs: number;
  /** A Raft entry on every manager: append, fsync (amortized over a Ready), unmarshal, apply. */
  raftEntryMs: number;
  /** Each store action an entry applies (every manager's memory store and watchers). */
  storeActionMs: number;
  /** A Raft message between managers (handled first: the Raft loop is not starved). */
  raftMessageMs: number;
  /** The scheduler: per pass, per node looked at in a pass, per task decided. */
  schedulerPassMs: number;
  schedulerNodeMs: number;
  schedulerTaskMs: number;
  /** The orchestrators, allocator, reaper and enforcer: per store action they write. */
  reconcileActionMs: number;
}

/** The calibration (package README, "Managers with a CPU", says where each figure comes from). */
export const DEFAULT_COSTS: CostModel = {
  requestMs: 0.05,
  handshakeMs: 1.5,
  heartbeatMs: 0.1,
  sessionMs: 0.5,
  taskStatusMs: 0.02,
  pushMs: 0.05,
  assignmentMs: 0.005,
  signMs: 1,
  listObjectMs: 0.005,
  raftEntryMs: 0.2,
  storeActionMs: 0.01,
  raftMessageMs: 0.02,
  schedulerPassMs: 0.5,
  schedulerNodeMs: 0.002,
  schedulerTaskMs: 0.2,
  reconcileActionMs: 0.05,
};

/** What a manager's memory holds, in bytes (the memory model). */
export interface MemoryModel {
  /** dockerd, containerd's client, SwarmKit's manager and agent, idle. */
  baseBytes: number;
  /** Per node: its object and certificate, its dispatcher session and gRPC stream buffers. */
  perNodeBytes: number;
  /** Per task: the task object (a copy of the service's task spec) and the store's indexes. */
  perTaskBytes: number;
  /** Per service and network object. */
  perObjectBytes: number;
  /** Per store action held in the in-memory Raft log (entries since the last snapshot). */
  perLogActionBytes: number;
}

export const DEFAULT_MEMORY: MemoryModel = {
  baseBytes: 120 * 2 ** 20,
  perNodeBytes: 48 * 2 ** 10,
  perTaskBytes: 4 * 2 ** 10,
  perObjectBytes: 8 * 2 ** 10,
  perLogActionBytes: 2 * 2 ** 10,
};

/** A manager's memory as the model has it: the store's objects and the Raft log it keeps. */
export function managerMemoryBytes(
  store: MemoryStore,
  logActions: number,
  m: MemoryModel = DEFAULT_MEMORY,
): number {
  const tasks = store.count("task");
  const nodes = store.count("node");
  const others = store.count("service") + store.count("network");
  return (
    m.baseBytes +
    nodes * m.perNodeBytes +
    tasks * m.perTaskBytes +
    others * m.perObjectBytes +
    logActions * m.perLogActionBytes
  );
}

/**
 * What a request of `method` costs: a number, or for the methods whose cost depends on the
 * request or on the store, a function of the request (the dispatcher's and the CA's work on
 * top of the request's).
 */
export function requestCost(
  c: CostModel,
  method: string,
  store: MemoryStore,
): number | ((body: unknown) => number) {
  switch (method) {
    case "Dispatcher.Heartbeat":
      return c.requestMs + c.heartbeatMs;
    case "Dispatcher.Session":
      return c.requestMs + c.sessionMs;
    case "Dispatcher.UpdateTaskStatus":
      return (body) => {
        const updates = (body as { updates?: unknown[] } | null)?.updates;
        return c.requestMs + c.taskStatusMs * (Array.isArray(updates) ? updates.length : 1);
      };
    case "NodeCA.IssueNodeCertificate":
      return c.requestMs + c.signMs;
    case "Control.ListNodes":
      return () => c.requestMs + c.listObjectMs * store.count("node");
    case "Control.ListTasks":
      return () => c.requestMs + c.listObjectMs * store.count("task");
    case "Raft.ProcessRaftMessage":
      return c.raftMessageMs;
    default:
      return c.requestMs;
  }
}
