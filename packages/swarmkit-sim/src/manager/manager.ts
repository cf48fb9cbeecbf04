// A manager (SwarmKit manager/manager.go): a Raft member whose state machine is the cluster
// store, the gRPC server agents and other managers call (its routes: routes.ts), forwarding to
// the leader from followers (leader-router.ts), and the components that run only while it
// leads (leader-components.ts). It learns leadership from one place: the Raft member's
// leaderChange event (and its state once, when it starts).
import { hostOf } from "../api/address";
import { SWARMKIT_DEFAULTS } from "@swarm-sim/raft";
import type { Cluster, Node } from "../api/types";
import { MANAGER_ROLE, WORKER_ROLE } from "../ca/constants";
import type { Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import type { Sim } from "../kernel/sim";
import { GrpcError } from "../transport/grpc-error";
import type { AuthLevel, CertChain, CertRole, Credentials, PeerIdentity } from "../transport/identity";
import type { ClientSecurity } from "../transport/rpc-client";
import { RpcServer } from "../transport/rpc-server";
import { authorizePeer, verifyPeerChain, verifyServerChain } from "../transport/tls";
import { RAFT_MESSAGE } from "../api/methods";
import type { LeaderComponent } from "./component";
import type { Consensus } from "./consensus";
import type { ControlDeps } from "./controlapi/nodes";
import type { Dispatcher } from "./dispatcher/dispatcher";
import { checkHealth } from "./health";
import { LeaderComponents } from "./leader-components";
import { LeaderRouter } from "./leader-router";
import type { ConsensusFactory, ConsensusStart } from "./raft-factory";
import { ErrLostLeadership } from "./raft/errors";
import { RpcRaftTransport } from "./raft/rpc-transport";
import { registerRoutes } from "./routes";
import type { Proposer, StoreAction } from "./store/actions";
import { type CostModel, DEFAULT_COSTS, managerMemoryBytes, requestCost } from "./cost-model";
import { DecisionLog } from "./scheduler/decisions";
import { MemoryStore, type StoreSnapshot } from "./store/memory-store";

/** The node's TLS material as the manager uses it. */
export interface NodeTLS {
  /** The node's certificate and key (null while it has none). */
  credentials(): Credentials | null;
  trustRoots(): readonly string[];
}

export interface ManagerOptions {
  sim: Sim;
  machine: Machine;
  random: Random;
  nodeId: string;
  clusterId: string;
  /** host:port other nodes reach this manager at. */
  advertiseAddr: string;
  listenPort: number;
  tls: NodeTLS;
  consensusFactory: ConsensusFactory;
  start: ConsensusStart;
  dataDir: string;
  tickMs?: number;
  /** Objects to create when this manager first leads an empty store (swarm init). */
  bootstrap?: {
    cluster: Omit<Cluster, "version" | "createdAt" | "updatedAt">;
    node: Omit<Node, "version" | "createdAt" | "updatedAt">;
  };
  leaderComponents?: () => LeaderComponent[];
  /** This member was removed from raft (demoted or removed): the node must stop the manager. */
  onRemoved?: () => void;
  /** The key raft data is encrypted with on disk (null: stored in the clear). */
  dataKey?: Uint8Array | null;
  /** What its work costs the machine's CPU (default DEFAULT_COSTS; null: nothing, no model). */
  costs?: CostModel | null;
  /** Sees every authorization decision of this manager's server (the fuzzer's checker). */
  onAuthorize?: AuthorizationObserver;
  /** Deliberately broken behaviour, only for tests that prove the checkers catch it. */
  bugs?: ManagerBugs;
}

/** One authorization decision: who called (the forwarded identity when a manager relayed it), at which level, granted or not. */
export interface AuthorizationEvent {
  level: AuthLevel;
  peer: PeerIdentity | null;
  granted: boolean;
}

export type AuthorizationObserver = (e: AuthorizationEvent) => void;

export interface ManagerBugs {
  /** Serve manager-only methods to worker certificates too (the role check skipped). */
  workersServedManagerMethods?: boolean;
}

/** A manager follows, leads, or has stopped for good. */
export type ManagerState = "follower" | "leader" | "stopped";

const TRANSITIONS: Readonly<Record<ManagerState, readonly ManagerState[]>> = {
  follower: ["leader", "stopped"],
  leader: ["follower"],
  stopped: [],
};

export class Manager {
  readonly store = new MemoryStore();
  /** Why the scheduler put each task where it did, while this manager led (bounded). */
  readonly decisions = new DecisionLog();
  /** The CPU model (null: off). */
  readonly costs: CostModel | null;
  /** Store actions of each entry in the in-memory Raft log (since its last compaction). */
  private readonly logEntries: number[] = [];
  private logActions = 0;
  readonly server: RpcServer;
  readonly consensus: Consensus;
  readonly proposer: Proposer;
  /**
   * What the components that run only on the leader write with: straight to raft, failing once
   * this manager no longer leads (SwarmKit's leader components write to the local store, which
   * refuses when the node lost leadership). A write forwarded to the next leader instead could
   * land after that leader's own view and undo it (a stepped-down dispatcher's DISCONNECTED
   * after the nodes had registered again with the new one).
   */
  private readonly leaderProposer: Proposer;
  private readonly router: LeaderRouter;
  /** Raft messages to and from the other managers, over this manager's authenticated RPC. */
  private readonly raftTransport: RpcRaftTransport;
  private readonly leaderComponents: LeaderComponents;
  /** How this manager dials other managers (raft peers, the health check of a joining one). */
  private readonly clientSecurity: ClientSecurity;
  private state: ManagerState = "follower";
  private leaderless: number | undefined;
  private managersCache: { at: number; list: readonly string[] } = { at: -1, list: [] };
  readonly identity: PeerIdentity;
  /** Bumped on every cluster object change or store restore (see ServerSecurity.generation). */
  private securityGeneration = 0;
  readonly tick: number;

  constructor(readonly o: ManagerOptions) {
    this.tick = o.tickMs ?? 1000;
    this.costs = o.costs === undefined ? DEFAULT_COSTS : o.costs;
    this.identity = { nodeId: o.nodeId, role: MANAGER_ROLE, clusterId: o.clusterId };
    this.server = new RpcServer(o.machine, o.listenPort, {
      verifyClient: (chain) =>
        verifyPeerChain(chain, o.tls.trustRoots(), o.machine.localNow(), o.sim.epochMs),
      serverCredentials: () => o.tls.credentials(),
      authorize: (peer, level) => this.authorize(peer, level),
      authorizeForwarded: (fwd, peer, level) => this.authorize(fwd, level, peer),
      // The removed-node list lives in the cluster object: its version is the generation.
      generation: () => this.securityGeneration,
    });
    const clientSecurity: ClientSecurity = {
      credentials: () => o.tls.credentials(),
      verifyServer: (chain: CertChain) =>
        verifyServerChain(chain, o.tls.trustRoots()[0] ?? "", o.machine.localNow(), o.sim.epochMs),
    };
    this.clientSecurity = clientSecurity;
    this.router = new LeaderRouter(o.machine, this, clientSecurity);
    this.raftTransport = new RpcRaftTransport(o.machine, clientSecurity, RAFT_MESSAGE);
    this.consensus = o.consensusFactory({
      sim: o.sim,
      machine: o.machine,
      random: o.random.fork("raft"),
      start: o.start,
      dataDir: o.dataDir,
      tickMs: this.tick,
      transport: this.raftTransport,
      healthCheck: (addr, done) => checkHealth(o.machine, addr, this.clientSecurity, done),
      dataKey: o.dataKey ?? null,
      snapshot: () => this.store.snapshot(),
      restore: (data) => {
        this.store.restore(data as StoreSnapshot);
        this.securityGeneration++;
      },
      events: {
        apply: (actions) => {
          this.applied(actions.length);
          try {
            this.store.apply(actions);
            return null;
          } catch (e) {
            return e as Error;
          }
        },
        // The one source of leadership: the member reports every change of its soft state
        // (the leader it knows, and whether that is itself).
        leaderChange: () => this.checkLeadership(),
        removed: () => {
          if (this.state === "stopped") return;
          this.o.onRemoved?.();
        },
      },
    });
    this.proposer = {
      propose: (actions, done) => this.propose(actions, done),
    };
    this.leaderProposer = {
      propose: (actions, done) => {
        if (this.state !== "leader" || !this.consensus.isLeader()) {
          done(new GrpcError("FailedPrecondition", ErrLostLeadership));
          return;
        }
        this.consensus.propose(actions, done);
      },
    };
    this.leaderComponents = new LeaderComponents({
      sim: o.sim,
      machine: o.machine,
      store: this.store,
      proposer: this.leaderProposer,
      consensus: this.consensus,
      server: this.server,
      random: o.random,
      nodeId: o.nodeId,
      managers: () => this.managers(),
      registered: o.leaderComponents,
      decisions: this.decisions,
      costs: this.costs,
    });
    this.store.events.on("change", (e) => {
      if (e.type === "cluster") this.securityGeneration++;
    });
    registerRoutes({
      server: this.server,
      router: this.router,
      raftTransport: this.raftTransport,
      store: this.store,
      consensus: this.consensus,
      proposer: this.proposer,
      machine: o.machine,
      random: o.random,
      clientSecurity,
      isLeader: () => this.isLeader(),
      dispatcher: () => this.leaderComponents.dispatcher,
      controlDeps: () => this.controlDeps(),
      membersChanged: () => {
        this.managersCache = { at: Number.NEGATIVE_INFINITY, list: this.managersCache.list };
      },
    });
    const costs = this.costs;
    if (costs)
      this.server.setLoad({
        requestMs: (method) => requestCost(costs, method, this.store),
        // Raft's own messages are handled first (the Raft loop has its goroutine): charged.
        priority: (method) => method === RAFT_MESSAGE,
        handshakeMs: costs.handshakeMs,
      });
    this.server.start();
    // The member's state as it starts (a restarted single manager may already lead); from
    // now on its leaderChange events tell.
    this.checkLeadership();
  }

  /**
   * A committed entry reaches this manager's store: the Raft loop's work (append, fsync,
   * apply) is charged to the machine, and the entry joins the in-memory log.
   */
  private applied(actions: number): void {
    const c = this.costs;
    if (c) this.o.machine.cpu.charge(c.raftEntryMs + c.storeActionMs * actions);
    this.logEntries.push(actions);
    this.logActions += actions;
    // SwarmKit snapshots every SnapshotInterval entries and keeps LogEntriesForSlowFollowers.
    if (
      this.logEntries.length >=
      SWARMKIT_DEFAULTS.snapshotInterval + SWARMKIT_DEFAULTS.logEntriesForSlowFollowers
    ) {
      const dropped = this.logEntries.splice(0, SWARMKIT_DEFAULTS.snapshotInterval);
      for (const n of dropped) this.logActions -= n;
    }
  }

  /** What the manager's state takes in memory (the memory model, cost-model.ts). */
  memoryBytes(): number {
    return managerMemoryBytes(this.store, this.logActions);
  }

  // ---- LeaderView (for the router) ----
  isLeader(): boolean {
    return this.state !== "stopped" && this.consensus.isLeader();
  }

  leaderAddr(): string {
    const id = this.consensus.leaderId();
    return id ? (this.consensus.member(id)?.addr ?? "") : "";
  }

  leaderlessSince(): number | undefined {
    return this.leaderless;
  }

  tickMs(): number {
    return this.tick;
  }

  /** Whether this manager can serve the control API (it knows a leader, or is it). */
  hasLeader(): boolean {
    return this.consensus.leaderId() !== 0;
  }

  /** The addresses of every manager (agents fail over through this list). */
  managers(): readonly string[] {
    const now = this.o.sim.now();
    if (now - this.managersCache.at >= this.tick) {
      const list = this.consensus
        .members()
        .map((m) => m.addr)
        .sort();
      const old = this.managersCache.list;
      this.managersCache = {
        at: now,
        list: list.length === old.length && list.every((a, i) => a === old[i]) ? old : list,
      };
    }
    return this.managersCache.list;
  }

  /** Calls one of this manager's methods as its own node (what the local docker CLI does). */
  call(method: string, req: unknown, cb: (err: GrpcError | null, res?: any) => void): void {
    if (this.state === "stopped") {
      cb(new GrpcError("Unavailable", "manager stopped"));
      return;
    }
    this.server.invokeLocal(method, req, this.identity, hostOf(this.o.advertiseAddr), cb);
  }

  stop(): void {
    if (this.state === "stopped") return;
    if (this.state === "leader") this.stepDown();
    this.moveTo("stopped");
    this.consensus.stop();
    this.raftTransport.close();
    // Before the server closes: the agents whose sessions it proxied hear that they ended.
    this.router.close();
    this.server.stop();
  }

  get isStopped(): boolean {
    return this.state === "stopped";
  }

  /** Our certificate changed: peers must see it in a new handshake. */
  certificateRenewed(): void {
    this.router.reconnectAll();
    this.raftTransport.reconnectAll();
  }

  /** The leader's dispatcher (tests read its sessions). */
  get activeDispatcher(): Dispatcher | null {
    return this.leaderComponents.dispatcher;
  }

  private moveTo(next: ManagerState): void {
    if (!TRANSITIONS[this.state].includes(next))
      throw new Error(`manager ${this.o.machine.name}: no transition from ${this.state} to ${next}`);
    this.state = next;
  }

  private authorize(
    peer: PeerIdentity | null,
    level: AuthLevel,
    forwarded?: PeerIdentity | null,
  ): GrpcError | null {
    if (level === "insecure") return null;
    const roles: CertRole[] =
      level === "managers" && !this.o.bugs?.workersServedManagerMethods
        ? [MANAGER_ROLE]
        : [MANAGER_ROLE, WORKER_ROLE];
    const denied = authorizePeer(
      peer,
      roles,
      this.o.clusterId,
      this.store.cluster()?.blacklistedCertificates,
      forwarded,
    );
    this.o.onAuthorize?.({ level, peer: forwarded ?? peer, granted: denied === null });
    return denied;
  }

  /**
   * Writes through this manager's raft member, which must lead (SwarmKit's store refuses a
   * write on a follower, ErrLostLeadership). There is no forwarding of store writes between
   * managers: a follower's control calls go to the leader whole, and the leader writes.
   */
  private propose(actions: StoreAction[], done: (err: Error | null) => void): void {
    if (this.state === "stopped") {
      done(new GrpcError("Unavailable", "manager stopped"));
      return;
    }
    if (!this.consensus.isLeader()) {
      done(new GrpcError("FailedPrecondition", ErrLostLeadership));
      return;
    }
    this.consensus.propose(actions, done);
  }

  /** Follows the member's leadership: start or stop the leader components, note leaderless time. */
  private checkLeadership(): void {
    if (this.state === "stopped") return;
    if (this.consensus.leaderId() === 0) this.leaderless ??= this.o.sim.now();
    else this.leaderless = undefined;
    const leading = this.consensus.isLeader();
    // As SwarmKit's raft signals leadership only once the new leader applied its whole log
    // (caughtUp): its components must not start from a store that lacks entries of an earlier
    // term still to commit (an orchestrator would create a slot's task a second time).
    if (leading && this.state === "follower" && this.consensus.caughtUp()) this.becomeLeader();
    else if (!leading && this.state === "leader") this.stepDown();
  }

  private controlDeps(): ControlDeps & { random: Random } {
    return {
      store: this.store,
      proposer: this.proposer,
      consensus: this.consensus,
      now: () => this.o.sim.now(),
      epochMs: this.o.sim.epochMs,
      random: this.o.random,
    };
  }

  private becomeLeader(): void {
    this.moveTo("leader");
    const o = this.o;
    o.sim.trace.record("manager.leader", { machine: o.machine.name, nodeId: o.nodeId });
    if (!this.store.cluster() && o.bootstrap) {
      const now = o.sim.now();
      const meta = { version: 0, createdAt: now, updatedAt: now };
      this.consensus.propose(
        [
          { op: "create", type: "cluster", object: { ...o.bootstrap.cluster, ...meta } as Cluster },
          { op: "create", type: "node", object: { ...o.bootstrap.node, ...meta } as Node },
        ],
        () => {},
      );
    }
    this.leaderComponents.start();
  }

  private stepDown(): void {
    this.moveTo("follower");
    this.o.sim.trace.record("manager.stepDown", { machine: this.o.machine.name });
    this.leaderComponents.stop();
  }
}
