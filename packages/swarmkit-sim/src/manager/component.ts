// The contract between a manager and the subsystems that run on it only while it leads
// (dispatcher, CA signer, orchestrators, scheduler, allocator, key manager, role manager; see
// SwarmKit manager.go becomeLeader). The manager starts each one when it becomes leader and
// stops it when it loses leadership, so a component keeps no state that outlives stop().
import type { Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import type { CostModel } from "./cost-model";
import type { DecisionLog } from "./scheduler/decisions";
import type { Sim } from "../kernel/sim";
import type { Proposer } from "./store/actions";
import type { MemoryStore } from "./store/memory-store";

export interface LeaderContext {
  sim: Sim;
  /** The manager's machine: use machine.after for timers, so they die with the process. */
  machine: Machine;
  /** The replicated store (read it freely; write through `proposer`). */
  store: MemoryStore;
  /** Writes go through Raft; `done` runs once the transaction is applied (or failed). */
  proposer: Proposer;
  random: Random;
  /** This manager's node ID. */
  nodeId: string;
  /** Where the scheduler explains its decisions (the manager's, kept across leaderships). */
  decisions?: DecisionLog;
  /** What the components' work costs the machine's CPU (absent or null: nothing). */
  costs?: CostModel | null;
}

export interface LeaderComponent {
  readonly name: string;
  start(ctx: LeaderContext): void;
  stop(): void;
}
