// What the dispatcher and the agent say to each other (SwarmKit api/dispatcher.proto, reduced
// to what the simulation uses). The method names are in methods.ts.
import type { NodeAvailability, NodeDescription, NodeRole, PortConfig, Task, TaskState } from "./types";

/**
 * An agent's deadline for each dispatcher call (SwarmKit's dispatcherRPCTimeout): a follower
 * that proxies the call to the leader forwards it within the same deadline.
 */
export const AGENT_RPC_TIMEOUT_MS = 5000;

/** A task's observed state, as the node's executor reports it. */
export interface TaskStatusReport {
  taskId: string;
  state: TaskState;
  message: string;
  err?: string;
  containerId?: string;
  exitCode?: number;
  /** Host-mode ports the task's container publishes on its node (SwarmKit's PortStatus). */
  ports?: PortConfig[];
}

export interface RegisterRequest {
  description: NodeDescription;
}

export interface NodeSummary {
  desiredRole: NodeRole;
  role: NodeRole;
  availability: NodeAvailability;
  /** Set when the CA asks the node to renew (root rotation). */
  certState: string;
  /** The trust root the node should hold (changes when a root rotation finishes). */
  rootCAPem: string;
}

export interface RegisterResponse {
  sessionId: string;
  periodMs: number;
  node: NodeSummary;
  managers: readonly string[];
}

export interface HeartbeatRequest {
  sessionId: string;
}

export interface HeartbeatResponse {
  periodMs: number;
  managers: readonly string[];
  /** How many pushes the session has sent (an agent that got fewer lost one: see SessionPush.seq). */
  pushSeq?: number;
}

export interface UpdateTaskStatusRequest {
  sessionId: string;
  updates: TaskStatusReport[];
}

/**
 * Pushed down the session stream. `disconnect` ends the session: the dispatcher dropped it, or
 * the follower that proxied it lost the leader it was opened on.
 */
export type SessionPush = (
  | { k: "node"; node: NodeSummary }
  | { k: "tasks"; tasks: readonly Task[] }
  /** The managers changed (SwarmKit's SessionMessage.Managers, sent when raft's peers change). */
  | { k: "managers"; managers: readonly string[] }
  | { k: "disconnect" }
) & {
  /**
   * The push's number on its session (1, 2, ...). The session is a gRPC stream over TCP, which
   * loses nothing while it lives; the simulated network may drop a message, so the agent checks
   * the numbers (and the heartbeat's pushSeq) and opens a new session when one is missing.
   */
  seq?: number;
};
