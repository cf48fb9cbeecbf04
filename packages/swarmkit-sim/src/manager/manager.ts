// A manager (SwarmKit manager/manager.go): a Raft member whose state machine is the cluster
// store, the gRPC server agents and other managers call (CA, control API, dispatcher, raft
// membership), forwarding to the leader from followers, and the components that run only on
// the leader (dispatcher, role manager, key manager and whatever else is registered).
import type { Cluster, Node } from "../api/types";
import { AGENT_RPC_TIMEOUT_MS } from "../agent/agent";
import { newRaftId } from "../ca/identity";
import type { Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import type { Sim } from "../kernel/sim";
import { MANAGER_ROLE, WORKER_ROLE, authorizePeer, verifyPeerChain, verifyServerChain } from "../node/pki";
import { GrpcError } from "../transport/grpc-error";
import type { AuthLevel, CertChain, CertRole, PeerIdentity } from "../transport/identity";
import { type ServerCall, RpcServer } from "../transport/rpc-server";
import { CA_METHODS, getRootCA, issueNodeCertificate, nodeCertificateStatus } from "./ca-server";
import type { LeaderComponent, LeaderContext } from "./component";
import type { Consensus, RaftMemberInfo } from "./consensus";
import { getUnlockKey, updateCluster } from "./controlapi/cluster";
import { type ControlDeps, listNodes, removeNode, resolveNode, updateNode } from "./controlapi/nodes";
import type { ClientSecurity } from "../transport/rpc-client";
import { Dispatcher } from "./dispatcher/dispatcher";
import { checkHealth, serveHealth } from "./health";
import { DISPATCHER, type SessionPush } from "./dispatcher/messages";
import { CaReconciler } from "./ca-reconciler";
import { KeyManager } from "./key-manager";
import { LeaderRouter } from "./leader-router";
import type { StreamRelay } from "./proxied-streams";
import { CONTROL, RAFT_MEMBERSHIP, RAFT_MESSAGE, STORE_PROPOSE } from "./methods";
import type { ConsensusFactory, ConsensusStart } from "./raft-factory";
import { ErrLostLeadership } from "./raft/errors";
import { RpcRaftTransport } from "./raft/rpc-transport";
import { RoleManager } from "./role-manager";
import {
  EMPTY,
  parseCertificateStatus,
  parseEmpty,
  parseGetNode,
  parseHeartbeat,
  parseIssue,
  parseJoin,
  parseLeave,
  parseListTasks,
  parseProposal,
  parseRaftMessage,
  parseRemoveNode,
  parseSession,
  parseTaskStatus,
  parseUpdateCluster,
  parseUpdateNode,
} from "./validate";
import type { Proposer, StoreAction } from "./store/actions";
import { MemoryStore, type StoreSnapshot } from "./store/memory-store";

/** The node's TLS material as the manager uses it. */
export interface NodeTLS {
  chain(): CertChain;
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
}

export class Manager {
  readonly store = new MemoryStore();
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
  private dispatcher: Dispatcher | null = null;
  /** How this manager dials other managers (raft peers, the health check of a joining one). */
  private readonly clientSecurity: ClientSecurity;
  private roleManager: RoleManager | null = null;
  private keyManager: KeyManager | null = null;
  private caReconciler: CaReconciler | null = null;
  private components: LeaderComponent[] = [];
  private leading = false;
  private leaderless: number | undefined;
  private stopped = false;
  private managersCache: { at: number; list: readonly string[] } = { at: -1, list: [] };
  readonly identity: PeerIdentity;
  /** Bumped on every cluster object change or store restore (see ServerSecurity.generation). */
  private securityGeneration = 0;
  readonly tick: number;

  constructor(readonly o: ManagerOptions) {
    this.tick = o.tickMs ?? 1000;
    this.identity = { nodeId: o.nodeId, role: MANAGER_ROLE, clusterId: o.clusterId };
    this.server = new RpcServer(o.machine, o.listenPort, {
      verifyClient: (chain) =>
        verifyPeerChain(chain, o.tls.trustRoots(), o.machine.localNow(), o.sim.epochMs),
      serverChain: () => o.tls.chain(),
      authorize: (peer, level) => this.authorize(peer, level),
      authorizeForwarded: (fwd, peer, level) => this.authorize(fwd, level, peer),
      // The removed-node list lives in the cluster object: its version is the generation.
      generation: () => this.securityGeneration,
    });
    const clientSecurity = {
      clientChain: () => o.tls.chain(),
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
          try {
            this.store.apply(actions);
            return null;
          } catch (e) {
            return e as Error;
          }
        },
        leaderChange: () => this.checkLeadership(),
        removed: () => {
          if (this.stopped) return;
          this.o.onRemoved?.();
        },
      },
    });
    this.proposer = {
      propose: (actions, done) => this.propose(actions, done),
    };
    this.leaderProposer = {
      propose: (actions, done) => {
        if (this.stopped || !this.leading || !this.consensus.isLeader()) {
          done(new GrpcError("FailedPrecondition", ErrLostLeadership));
          return;
        }
        this.consensus.propose(actions, done);
      },
    };
    this.store.events.on("change", (e) => {
      if (e.type === "cluster") this.securityGeneration++;
    });
    this.registerMethods();
    this.server.start();
    this.poll();
  }

  // ---- LeaderView (for the router) ----
  isLeader(): boolean {
    return !this.stopped && this.consensus.isLeader();
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
    if (this.stopped) {
      cb(new GrpcError("Unavailable", "manager stopped"));
      return;
    }
    this.server.invokeLocal(method, req, this.identity, this.o.advertiseAddr.split(":")[0], cb);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stepDown();
    this.consensus.stop();
    this.raftTransport.close();
    // Before the server closes: the agents whose sessions it proxied hear that they ended.
    this.router.close();
    this.server.stop();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Our certificate changed: peers must see it in a new handshake. */
  certificateRenewed(): void {
    this.router.reconnectAll();
    this.raftTransport.reconnectAll();
  }

  private authorize(
    peer: PeerIdentity | null,
    level: AuthLevel,
    forwarded?: PeerIdentity | null,
  ): GrpcError | null {
    if (level === "insecure") return null;
    const roles: CertRole[] = level === "managers" ? [MANAGER_ROLE] : [MANAGER_ROLE, WORKER_ROLE];
    return authorizePeer(
      peer,
      roles,
      this.o.clusterId,
      this.store.cluster()?.blacklistedCertificates,
      forwarded,
    );
  }

  private propose(actions: StoreAction[], done: (err: Error | null) => void): void {
    if (this.stopped) {
      done(new GrpcError("Unavailable", "manager stopped"));
      return;
    }
    if (this.consensus.isLeader()) {
      this.consensus.propose(actions, done);
      return;
    }
    const call: ServerCall = {
      peer: this.identity,
      fromAddress: "",
      conn: 0,
      stream: 0,
      direct: false,
      reply: () => done(null),
      fail: (e) => done(e),
    };
    this.router.route(STORE_PROPOSE, { actions }, call, () =>
      this.consensus.propose(actions, (err) => done(err)),
    );
  }

  /** Once per tick: leadership bookkeeping that does not depend on the glue's events. */
  private poll(): void {
    if (this.stopped) return;
    this.checkLeadership();
    this.o.machine.after(this.tick, () => this.poll());
  }

  private checkLeadership(): void {
    if (this.stopped) return;
    if (this.consensus.leaderId() === 0) this.leaderless ??= this.o.sim.now();
    else this.leaderless = undefined;
    const leading = this.consensus.isLeader();
    if (leading && !this.leading) this.becomeLeader();
    else if (!leading && this.leading) this.stepDown();
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
    this.leading = true;
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
    this.dispatcher = new Dispatcher({
      machine: o.machine,
      store: this.store,
      proposer: this.leaderProposer,
      random: o.random.fork(`dispatcher/${o.sim.now()}`),
      server: this.server,
      managers: () => this.managers(),
    });
    this.dispatcher.start();
    this.roleManager = new RoleManager(o.machine, this.store, this.leaderProposer, this.consensus);
    this.roleManager.start();
    this.keyManager = new KeyManager(
      o.machine,
      this.store,
      this.leaderProposer,
      o.random.fork(`keymanager/${o.sim.now()}`),
    );
    this.keyManager.start();
    this.caReconciler = new CaReconciler(
      o.machine,
      this.store,
      this.leaderProposer,
      o.random.fork(`ca/${o.sim.now()}`),
    );
    this.caReconciler.start();
    const ctx: LeaderContext = {
      sim: o.sim,
      machine: o.machine,
      store: this.store,
      proposer: this.leaderProposer,
      random: o.random.fork(`leader/${o.sim.now()}`),
      nodeId: o.nodeId,
    };
    this.components = o.leaderComponents?.() ?? [];
    for (const c of this.components) c.start(ctx);
  }

  private stepDown(): void {
    if (!this.leading) return;
    this.leading = false;
    this.o.sim.trace.record("manager.stepDown", { machine: this.o.machine.name });
    this.dispatcher?.stop();
    this.dispatcher = null;
    this.roleManager?.stop();
    this.roleManager = null;
    this.keyManager?.stop();
    this.keyManager = null;
    this.caReconciler?.stop();
    this.caReconciler = null;
    for (const c of this.components) c.stop();
    this.components = [];
  }

  /** The leader's dispatcher (tests read its sessions). */
  get activeDispatcher(): Dispatcher | null {
    return this.dispatcher;
  }

  // Every handler first checks its request (validate.ts): a malformed one is answered with
  // SwarmKit's code and message, on the leader as SwarmKit's handlers do after the raft proxy.
  private registerMethods(): void {
    const s = this.server;
    const onLeader = (method: string, level: AuthLevel, serve: (req: any, call: ServerCall) => void) =>
      s.handle(method, level, (req, call) => this.router.route(method, req, call, () => serve(req, call)));
    // Reads that must be current: the leader confirms its leadership first (ReadIndex), so a
    // deposed leader that has not noticed yet cannot answer from a stale store.
    const readOnLeader = <T>(
      method: string,
      level: AuthLevel,
      parse: (body: unknown) => T,
      serve: (req: T, call: ServerCall) => void,
    ) =>
      onLeader(method, level, (body, call) => {
        const req = parse(body);
        this.consensus.readIndex((err) => {
          if (err) call.fail(err instanceof GrpcError ? err : new GrpcError("Unknown", err.message));
          else {
            try {
              serve(req, call);
            } catch (e) {
              call.fail(e instanceof GrpcError ? e : new GrpcError("Unknown", (e as Error).message));
            }
          }
        });
      });
    const settle = (call: ServerCall, res?: unknown) => (err: Error | null) =>
      err
        ? call.fail(err instanceof GrpcError ? err : new GrpcError("Unknown", err.message))
        : call.reply(res ?? {});

    // CA: the root to anyone (any manager answers from its replica), signing on the leader.
    s.handle(CA_METHODS.getRootCA, "insecure", (req, call) => {
      parseEmpty(req);
      getRootCA(this.store, call);
    });
    const caDeps = () => ({
      machine: this.o.machine,
      store: this.store,
      proposer: this.proposer,
      random: this.o.random,
    });
    onLeader(CA_METHODS.issue, "insecure", (req, call) =>
      issueNodeCertificate(caDeps(), parseIssue(req), call),
    );
    onLeader(CA_METHODS.status, "insecure", (req, call) =>
      nodeCertificateStatus(this.store, parseCertificateStatus(req), call),
    );

    // Control API: managers only, answered by the leader.
    readOnLeader(CONTROL.listNodes, "managers", parseEmpty, (_req, call) =>
      call.reply({ nodes: listNodes(this.controlDeps()) }),
    );
    readOnLeader(CONTROL.getNode, "managers", parseGetNode, (req, call) => {
      const n = resolveNode(listNodes(this.controlDeps()), req.ref);
      call.reply({ node: n });
    });
    onLeader(CONTROL.updateNode, "managers", (req, call) =>
      updateNode(this.controlDeps(), parseUpdateNode(req), settle(call)),
    );
    onLeader(CONTROL.removeNode, "managers", (req, call) =>
      removeNode(this.controlDeps(), parseRemoveNode(req), settle(call)),
    );
    readOnLeader(CONTROL.getCluster, "managers", parseEmpty, (_req, call) => {
      const c = this.store.cluster();
      if (!c) return call.fail(new GrpcError("NotFound", "cluster not found"));
      call.reply({ cluster: c });
    });
    onLeader(CONTROL.updateCluster, "managers", (req, call) =>
      updateCluster(this.controlDeps(), parseUpdateCluster(req), (err, c) =>
        settle(call, { cluster: c })(err),
      ),
    );
    readOnLeader(CONTROL.listTasks, "managers", parseListTasks, (req, call) =>
      call.reply({ tasks: req.nodeId ? this.store.tasksByNode(req.nodeId) : this.store.list("task") }),
    );
    readOnLeader(CONTROL.getUnlockKey, "managers", parseEmpty, (_req, call) =>
      call.reply(getUnlockKey(this.controlDeps())),
    );

    // Raft's own messages between managers (not forwarded). Peers send them without waiting
    // for an answer; a caller that waits gets SwarmKit's (an empty response, or an error).
    s.handle(RAFT_MESSAGE, "managers", (body, call) => {
      const wire = parseRaftMessage(body);
      const err =
        wire && this.raftTransport.receive(wire, { host: call.fromAddress, nodeId: call.peer?.nodeId ?? "" });
      if (err) call.fail(err);
      else call.reply(EMPTY);
    });

    // The raft-backed proposer of followers.
    onLeader(STORE_PROPOSE, "managers", (req, call) =>
      this.consensus.propose(parseProposal(req).actions, settle(call)),
    );

    // Raft membership: a new manager asks the leader to add it.
    onLeader(RAFT_MEMBERSHIP.join, "managers", (req, call) => this.joinMember(parseJoin(req), call));
    onLeader(RAFT_MEMBERSHIP.leave, "managers", (body, call) => {
      const req = parseLeave(body);
      const m = this.consensus.members().find((x) => x.nodeId === req.nodeId);
      if (!m) return call.reply({});
      if (!this.consensus.canRemoveMember(m.raftId))
        return call.fail(
          new GrpcError(
            "FailedPrecondition",
            "raft: member cannot be removed, because removing it may result in loss of quorum",
          ),
        );
      this.consensus.removeMember(m.raftId, settle(call));
    });

    serveHealth(s);

    // Dispatcher: sessions live with the leader's dispatcher. A follower proxies them (the
    // session stream, its heartbeats and task reports) with the agent's identity and address,
    // within the agent's own 5 s deadline.
    const dispatch = (call: ServerCall): Dispatcher | null => {
      if (!this.dispatcher) call.fail(new GrpcError("Aborted", "dispatcher is stopped"));
      return this.dispatcher;
    };
    s.handle(DISPATCHER.register, "any", (body, call) => {
      const req = parseSession(body);
      if (this.dispatcher) return this.dispatcher.register(req, call);
      this.router.openStream(
        DISPATCHER.register,
        req,
        call,
        () => dispatch(call)?.register(req, call),
        this.relayTo(call),
        AGENT_RPC_TIMEOUT_MS,
      );
    });
    // The leader serves at once (no closure per heartbeat); a follower forwards.
    const forward = <T>(
      method: string,
      parse: (body: any) => T,
      serve: (d: Dispatcher, req: T, call: ServerCall) => void,
    ) =>
      s.handle(method, "any", (body, call) => {
        const req = parse(body);
        if (this.dispatcher) return serve(this.dispatcher, req, call);
        this.router.route(
          method,
          req,
          call,
          () => {
            const d = dispatch(call);
            if (d) serve(d, req, call);
          },
          this.o.machine.localNow() + AGENT_RPC_TIMEOUT_MS,
        );
      });
    forward(DISPATCHER.heartbeat, parseHeartbeat, (d, req, call) => d.heartbeat(req, call));
    forward(DISPATCHER.updateTaskStatus, parseTaskStatus, (d, req, call) => d.updateTaskStatus(req, call));
  }

  /** Where a session proxied through this follower goes: down the agent's own connection. */
  private relayTo(call: ServerCall): StreamRelay {
    const server = this.server;
    return {
      push: (body) => {
        server.push(call.conn, body);
        return (body as SessionPush).k !== "disconnect";
      },
      end: () => server.push(call.conn, { k: "disconnect" } satisfies SessionPush),
    };
  }

  private joinMember(req: { addr: string }, call: ServerCall): void {
    const nodeId = call.peer?.nodeId ?? "";
    // An unspecified host is replaced by the address the request came from.
    const [host, port] = [
      req.addr.slice(0, req.addr.lastIndexOf(":")),
      req.addr.slice(req.addr.lastIndexOf(":") + 1),
    ];
    const addr = host === "" || host === "0.0.0.0" ? `${call.fromAddress}:${port}` : req.addr;
    // The leader must reach the new member where it says it is, or raft could never talk to it.
    checkHealth(this.o.machine, addr, this.clientSecurity, (err) => {
      if (err) return call.fail(err);
      if (this.stopped || !this.consensus.isLeader())
        return call.fail(
          new GrpcError("FailedPrecondition", "raft: failed to process the request: node lost leader status"),
        );
      this.addJoiningMember(nodeId, addr, call);
    });
  }

  private addJoiningMember(nodeId: string, addr: string, call: ServerCall): void {
    const existing = this.consensus.members().find((m) => m.nodeId === nodeId);
    if (existing) {
      call.reply({ raftId: existing.raftId, members: this.consensus.members() });
      return;
    }
    let raftId = newRaftId(this.o.random);
    while (this.consensus.member(raftId)) raftId = newRaftId(this.o.random);
    const info: RaftMemberInfo = { raftId, nodeId, addr };
    this.consensus.addMember(info, (err) => {
      if (err) return call.fail(err instanceof GrpcError ? err : new GrpcError("Unknown", err.message));
      // Agents registering from now on must hear of the new manager, not a list up to a tick old.
      this.managersCache = { at: Number.NEGATIVE_INFINITY, list: this.managersCache.list };
      call.reply({ raftId, members: this.consensus.members() });
    });
  }
}
