// What runs on a manager only while it leads (SwarmKit manager.go becomeLeader): the
// dispatcher, the role manager, the key manager, the CA reconciler, then the components
// registered from outside (orchestrators, scheduler, allocator: LeaderComponent). The manager
// starts them when it becomes leader and stops them, in the same order, when it steps down;
// none keeps state that outlives stop().
import type { Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import type { Sim } from "../kernel/sim";
import type { RpcServer } from "../transport/rpc-server";
import { CaReconciler } from "./ca-reconciler";
import type { LeaderComponent, LeaderContext } from "./component";
import type { Consensus } from "./consensus";
import { Dispatcher } from "./dispatcher/dispatcher";
import { KeyManager } from "./key-manager";
import { RoleManager } from "./role-manager";
import type { Proposer } from "./store/actions";
import type { CostModel } from "./cost-model";
import type { DecisionLog } from "./scheduler/decisions";
import type { MemoryStore } from "./store/memory-store";

export interface LeaderComponentsDeps {
  sim: Sim;
  machine: Machine;
  store: MemoryStore;
  /** The leader's own writes: straight to raft, failing once it no longer leads. */
  proposer: Proposer;
  consensus: Consensus;
  server: RpcServer;
  random: Random;
  nodeId: string;
  /** The addresses of every manager, for the dispatcher to hand agents. */
  managers(): readonly string[];
  /** The components registered from outside, made afresh on each leadership. */
  registered?: () => LeaderComponent[];
  /** The scheduler's decision log, the manager's own (it outlives a leadership). */
  decisions?: DecisionLog;
  /** The CPU model (null: off). */
  costs?: CostModel | null;
}

/** The leader components' lifecycle: stopped (on a follower) or running (on the leader). */
export type LeaderComponentsState = "stopped" | "running";

export class LeaderComponents {
  private state: LeaderComponentsState = "stopped";
  private dispatcherNow: Dispatcher | null = null;
  private roleManager: RoleManager | null = null;
  private keyManager: KeyManager | null = null;
  private caReconciler: CaReconciler | null = null;
  private registered: LeaderComponent[] = [];

  constructor(private readonly d: LeaderComponentsDeps) {}

  /** The running dispatcher (null while stopped). */
  get dispatcher(): Dispatcher | null {
    return this.dispatcherNow;
  }

  start(): void {
    this.moveTo("running");
    const d = this.d;
    const now = d.sim.now();
    this.dispatcherNow = new Dispatcher({
      machine: d.machine,
      store: d.store,
      proposer: d.proposer,
      random: d.random.fork(`dispatcher/${now}`),
      server: d.server,
      managers: d.managers,
      costs: d.costs ?? null,
    });
    this.dispatcherNow.start();
    this.roleManager = new RoleManager(d.machine, d.store, d.proposer, d.consensus);
    this.roleManager.start();
    this.keyManager = new KeyManager(d.machine, d.store, d.proposer, d.random.fork(`keymanager/${now}`));
    this.keyManager.start();
    this.caReconciler = new CaReconciler(d.machine, d.store, d.proposer, d.random.fork(`ca/${now}`));
    this.caReconciler.start();
    const ctx: LeaderContext = {
      sim: d.sim,
      machine: d.machine,
      store: d.store,
      proposer: d.proposer,
      random: d.random.fork(`leader/${now}`),
      nodeId: d.nodeId,
      decisions: d.decisions,
      costs: d.costs ?? null,
    };
    this.registered = d.registered?.() ?? [];
    for (const c of this.registered) c.start(ctx);
  }

  stop(): void {
    this.moveTo("stopped");
    this.dispatcherNow?.stop();
    this.dispatcherNow = null;
    this.roleManager?.stop();
    this.roleManager = null;
    this.keyManager?.stop();
    this.keyManager = null;
    this.caReconciler?.stop();
    this.caReconciler = null;
    for (const c of this.registered) c.stop();
    this.registered = [];
  }

  private moveTo(next: LeaderComponentsState): void {
    if (next === this.state) throw new Error(`leader components: already ${next}`);
    this.state = next;
  }
}
