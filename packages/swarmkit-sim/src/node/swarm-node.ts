// A machine's swarm component (what dockerd's daemon/cluster package is around a SwarmKit
// node, node/node.go): the local swarm state and its lifecycle, `docker swarm init|join|leave|
// unlock`, the agent that every node runs and the manager that managers run, role changes, and
// the node's identity on the machine's disk (recovered on restart). Its certificates and their
// renewal are certificates.ts's, its keys (autolock) keys.ts's, and a manager's way into raft
// is the manager's RaftJoin. Every operation is asynchronous in simulated time and takes a
// callback: nothing here blocks.
import type { NodeAvailability, NodeDescription, NodeRole, Cluster, Node } from "../api/types";
import { splitAddr } from "../api/address";
import { newNodeObject } from "../api/ca";
import type { NodeSummary } from "../api/dispatcher";
import { CONTROL } from "../api/methods";
import { Agent } from "../agent/agent";
import type { TaskExecutor } from "../agent/executor";
import { createRootCA, newJoinTokens, newUnlockKey, signNodeCertificate } from "../ca/cluster-pki";
import { certIssuerInfo, certificateInfo } from "../ca/certificate";
import { DEFAULT_NODE_CERT_EXPIRATION_MS } from "../ca/constants";
import { newId, newRaftId } from "../ca/identity";
import { generateKeyPair } from "../ca/keys";
import type { Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import type { Sim } from "../kernel/sim";
import {
  type AuthorizationObserver,
  type ConsensusFactory,
  type ConsensusStart,
  type CostModel,
  type LeaderComponent,
  Manager,
  type ManagerBugs,
  RaftJoin,
} from "../manager/index";
import { GrpcError } from "../transport/grpc-error";
import { AddressError, DEFAULT_SWARM_PORT, resolveAdvertiseAddr, resolveListenAddr } from "./addresses";
import { NodeCertificates } from "./certificates";
import {
  DaemonError,
  ERR_ALREADY_IN_SWARM,
  ERR_JOIN_TIMEOUT,
  ERR_LOCKED,
  ERR_LOCKED_LEAVE,
  ERR_MANAGER_UNAVAILABLE,
  ERR_NO_SWARM,
  ERR_NOT_IN_SWARM,
  ERR_NOT_LOCKED,
  ERR_WORKER,
  managerLeaveMessage,
} from "./errors";
import { bootstrapJoin } from "./join";
import { NodeKeys } from "./keys";
import { loadState, type PersistedState, RAFT_DIR, saveState, wipeSwarmState } from "./state";

/** The local node state `docker info` shows (dockerd's swarm.LocalNodeState). */
export type LocalNodeState = "inactive" | "pending" | "active" | "locked" | "error";

/**
 * The node's lifecycle. inactive: in no swarm. joining: `docker swarm join` under way (it stays
 * so if dockerd gave up waiting while the join goes on). active: in a swarm, its processes
 * running while the machine is up. locked: in a swarm, but its keys are sealed (autolock) until
 * `docker swarm unlock`.
 */
type Phase = "inactive" | "joining" | "active" | "locked";

const TRANSITIONS: Readonly<Record<Phase, readonly Phase[]>> = {
  // boot (from the disk), join, init
  inactive: ["inactive", "joining", "active", "locked"],
  // ready, or the machine halted (kept its state); the join failed, or leave
  joining: ["active", "inactive"],
  // boot again, leave
  active: ["active", "locked", "inactive"],
  // boot again, unlock, leave --force
  locked: ["locked", "active", "inactive"],
};

/** What `docker info` calls each phase. */
const LOCAL_STATE: Readonly<Record<Phase, LocalNodeState>> = {
  inactive: "inactive",
  joining: "pending",
  active: "active",
  locked: "locked",
};

export interface SwarmNodeOptions {
  /** Started on the leader with the built-in components (the services engineer's). */
  leaderComponents?: () => LeaderComponent[];
  /** A TaskExecutor for this node's agent (the services engineer's). */
  executorFactory?: (ctx: { sim: Sim; machine: Machine; node: SwarmNode }) => TaskExecutor;
  /** Shown as ENGINE VERSION in `docker node ls`. */
  engineVersion?: string;
  /** How managers run Raft (set by attachSwarmNode to the raft glue). */
  consensusFactory: ConsensusFactory;
  /** Raft tick in ms (SwarmKit: 1 s). */
  tickMs?: number;
  /**
   * What a manager's work costs its machine's CPU (default DEFAULT_COSTS, manager/cost-model.ts);
   * null switches the model off.
   */
  costs?: CostModel | null;
  /** Sees every authorization decision of this node's manager (the fuzzer's checker). */
  onAuthorize?: AuthorizationObserver;
  /**
   * dockerd's part of `docker swarm leave`, once the node has left (daemon/cluster Leave): it
   * force-removes every container of the node's tasks (the services engineer's).
   */
  onLeft?: (ctx: { machine: Machine; nodeId: string }) => void;
  /** Deliberately broken manager, only for tests that prove the checkers catch it. */
  managerBugs?: ManagerBugs;
}

export interface InitOptions {
  advertiseAddr?: string;
  listenAddr?: string;
  forceNewCluster?: boolean;
  autolock?: boolean;
  certExpiryMs?: number;
  availability?: NodeAvailability;
  heartbeatPeriodMs?: number;
  taskHistoryLimit?: number;
}

export interface JoinOptions {
  token: string;
  remoteAddr: string;
  advertiseAddr?: string;
  listenAddr?: string;
  availability?: NodeAvailability;
}

/** dockerd waits this long for a join (swarmConnectTimeout) and for requests. */
export const SWARM_CONNECT_TIMEOUT_MS = 20_000;
/** How long a node removed from raft waits for its worker certificate (SwarmKit roleChangeTimeout). */
export const ROLE_CHANGE_TIMEOUT_MS = 16_000;

type Done<T = void> = (err: Error | null, res?: T) => void;

export class SwarmNode {
  private phase: Phase = "inactive";
  /** The node's identity and addresses in its swarm (null in none), as on the disk. */
  private persisted: PersistedState | null = null;
  agent: Agent | null = null;
  manager: Manager | null = null;
  /** A manager's way into raft while it is under way. */
  private raftJoin: RaftJoin | null = null;
  /**
   * The node's run: bumped when the machine boots and when the node leaves its swarm, so that
   * answers and timers of an earlier run are dropped.
   */
  private incarnation = 0;
  private opCount = 0;
  private readonly random: Random;
  private readonly certs: NodeCertificates;
  private readonly keys: NodeKeys;

  constructor(
    readonly sim: Sim,
    readonly machine: Machine,
    readonly options: SwarmNodeOptions,
  ) {
    this.random = sim.random.fork(`swarm/${machine.name}`);
    this.keys = new NodeKeys(machine.disk, (what) => this.rand(what));
    this.certs = new NodeCertificates({
      machine,
      epochMs: sim.epochMs,
      rand: (what) => this.rand(what),
      incarnation: () => this.incarnation,
      renewalTarget: () => (this.persisted ? this.agent?.remote || this.persisted.managers[0] : null),
      keyPem: () => this.keys.keyPem,
      role: () => this.persisted?.role ?? null,
      install: (certPem, role) => this.installCertificate(certPem, role),
    });
    machine.onBoot(() => this.boot());
    machine.onHalt(() => this.halt());
    if (machine.isUp()) this.boot();
  }

  // ---------------------------------------------------------------- state

  get state(): LocalNodeState {
    return LOCAL_STATE[this.phase];
  }

  get nodeId(): string {
    return this.persisted?.nodeId ?? "";
  }

  get clusterId(): string {
    return this.persisted?.clusterId ?? "";
  }

  /** The role of this node's certificate. */
  get role(): NodeRole | null {
    return this.persisted?.role ?? null;
  }

  get advertiseAddr(): string {
    return this.persisted?.advertiseAddr ?? "";
  }

  get certificate(): string {
    return this.certs.certPem;
  }

  get trustRoot(): string {
    return this.certs.rootPem;
  }

  private moveTo(next: Phase): void {
    if (!TRANSITIONS[this.phase].includes(next))
      throw new Error(`swarm node ${this.machine.name}: no transition from ${this.phase} to ${next}`);
    this.phase = next;
  }

  /** A fresh random stream for one operation (so a restart does not replay the same draws). */
  private rand(what: string): Random {
    return this.random.fork(`${this.incarnation}/${this.opCount++}/${what}`);
  }

  private description(): NodeDescription {
    return {
      hostname: this.machine.name,
      platform: { os: "linux", architecture: "x86_64" },
      // What the machine has (the scheduler's ResourceFilter and `docker node inspect`).
      resources: { nanoCPUs: this.machine.cores * 1e9, memoryBytes: this.machine.memoryBytes },
      engine: { engineVersion: this.options.engineVersion ?? "27.5.1", labels: {} },
      // The issuer of the certificate this node holds now (a new session after each renewal
      // reports it again): what the root-rotation reconciler judges convergence from.
      tlsInfo: certIssuerInfo(this.certs.certPem, this.certs.rootPem),
    };
  }

  // ---------------------------------------------------------------- boot / halt

  private boot(): void {
    this.incarnation++;
    const st = loadState(this.machine.disk);
    if (!st) {
      this.persisted = null;
      this.moveTo("inactive");
      return;
    }
    this.persisted = st;
    this.certs.load();
    if (!this.keys.load()) {
      this.moveTo("locked");
      return;
    }
    this.moveTo("active");
    this.startProcesses({ kind: "restart" });
  }

  private halt(): void {
    this.certs.halted();
    this.agent = null;
    this.manager = null;
    this.raftJoin = null;
    // A join under way dies with the machine; what it saved stays (the next boot reads it).
    if (this.phase === "joining") this.moveTo(this.persisted ? "active" : "inactive");
  }

  /** Starts the agent, and the manager when the certificate says manager. */
  private startProcesses(start: ConsensusStart | null, bootstrap?: Manager["o"]["bootstrap"]): void {
    const st = this.persisted!;
    if (st.role === "manager" && start) {
      if (start.kind === "restart" && !this.hasRaftData()) this.joinRaft();
      else this.startManager(start, bootstrap);
    }
    this.startAgent();
    this.certs.schedule();
  }

  private hasRaftData(): boolean {
    return this.machine.disk.list(RAFT_DIR).length > 0;
  }

  private startManager(start: ConsensusStart, bootstrap?: Manager["o"]["bootstrap"]): void {
    const st = this.persisted!;
    this.keys.ensureDek(st.role);
    const [, port] = splitAddr(st.listenAddr);
    this.manager = new Manager({
      sim: this.sim,
      machine: this.machine,
      random: this.rand("manager"),
      nodeId: st.nodeId,
      clusterId: st.clusterId,
      advertiseAddr: st.advertiseAddr,
      listenPort: port,
      tls: this.certs.tls(),
      consensusFactory: this.options.consensusFactory,
      start,
      dataDir: RAFT_DIR,
      tickMs: this.options.tickMs,
      bootstrap,
      leaderComponents: this.options.leaderComponents,
      costs: this.options.costs,
      onAuthorize: this.options.onAuthorize,
      bugs: this.options.managerBugs,
      onRemoved: () => this.leftRaft(),
      // Raft data is encrypted at rest while autolock is on (without it, the DEK would sit in
      // the clear next to the data, which SwarmKit's design treats as unencrypted).
      dataKey: this.keys.unlockKey ? this.keys.dek : null,
    });
    this.manager.store.events.on("commit", () => this.followUnlockKey());
    // The agent talks to its own manager from now on (SwarmKit's connection broker local conn).
    this.agent?.setLocalManager(st.advertiseAddr);
  }

  private startAgent(): void {
    const st = this.persisted!;
    const executor = this.options.executorFactory?.({ sim: this.sim, machine: this.machine, node: this });
    this.agent = new Agent({
      machine: this.machine,
      random: this.rand("agent"),
      security: this.certs.clientSecurity(),
      managers: st.managers,
      localManager: this.manager ? st.advertiseAddr : "",
      description: () => this.description(),
      executor,
      onNode: (n) => this.onNodeChange(n),
      onManagers: (list) => {
        if (!this.persisted) return;
        this.persisted = { ...this.persisted, managers: [...list] };
        saveState(this.machine.disk, this.persisted);
        this.machine.disk.fsync();
      },
    });
    this.agent.start();
  }

  private stopManager(clearData: boolean): void {
    this.manager?.stop();
    this.manager = null;
    this.agent?.setLocalManager("");
    if (clearData) {
      for (const p of this.machine.disk.list(RAFT_DIR)) this.machine.disk.remove(p);
      this.keys.dropDek(this.persisted?.role);
    }
  }

  // ---------------------------------------------------------------- init

  init(opts: InitOptions, done: Done<string>): void {
    if (this.phase === "locked" && !opts.forceNewCluster) {
      done(new DaemonError(ERR_LOCKED));
      return;
    }
    // On a node that holds no swarm state, --force-new-cluster is a plain init (as in dockerd).
    if (opts.forceNewCluster && (this.persisted || this.phase === "locked")) {
      this.forceNewCluster(opts, done);
      return;
    }
    if (this.persisted || this.phase === "joining") {
      done(new DaemonError(ERR_ALREADY_IN_SWARM));
      return;
    }
    let listen: { host: string; port: number };
    let adv: { host: string; port: number };
    try {
      listen = resolveListenAddr(this.machine.interfaces, opts.listenAddr ?? `0.0.0.0:${DEFAULT_SWARM_PORT}`);
      adv = resolveAdvertiseAddr(this.machine.interfaces, opts.advertiseAddr ?? "", listen);
    } catch (e) {
      done(e instanceof AddressError ? new DaemonError(e.message) : (e as Error));
      return;
    }
    const r = this.rand("init");
    const now = this.sim.now();
    const ca = createRootCA(r, now, this.sim.epochMs);
    const clusterId = newId(r);
    const nodeId = newId(r);
    const key = generateKeyPair(r);
    const expiry = opts.certExpiryMs ?? DEFAULT_NODE_CERT_EXPIRATION_MS;
    const cluster: Omit<Cluster, "version" | "createdAt" | "updatedAt"> = {
      id: clusterId,
      spec: {
        name: "default",
        orchestration: { taskHistoryRetentionLimit: opts.taskHistoryLimit ?? 5 },
        raft: {
          snapshotInterval: 10000,
          keepOldSnapshots: 0,
          logEntriesForSlowFollowers: 500,
          heartbeatTick: 1,
          electionTick: 10,
        },
        dispatcher: { heartbeatPeriodMs: opts.heartbeatPeriodMs ?? 5000 },
        caConfig: { nodeCertExpiryMs: expiry, forceRotate: 0 },
        encryptionConfig: { autoLockManagers: !!opts.autolock },
      },
      rootCA: {
        caCertPem: ca.certPem,
        caKeyPem: ca.keyPem,
        caCertHash: ca.digest,
        joinTokens: newJoinTokens(ca.certPem, r),
        lastForcedRotation: 0,
      },
      unlockKey: opts.autolock ? newUnlockKey(r) : "",
      networkBootstrapKeys: null,
      blacklistedCertificates: {},
    };
    // The first manager signs its own certificate (CreateSecurityConfig).
    const certPem = signNodeCertificate(
      cluster as Cluster,
      { nodeId, role: "manager", publicKeyPem: key.publicKeyPem, nowMs: now },
      r,
      this.sim.epochMs,
    );
    const node = newNodeObject(nodeId, "manager", opts.availability ?? "active", certPem);
    const advertiseAddr = `${adv.host}:${adv.port}`;
    this.persisted = {
      nodeId,
      clusterId,
      role: "manager",
      advertiseAddr,
      listenAddr: `${listen.host}:${listen.port}`,
      managers: [advertiseAddr],
    };
    this.moveTo("active");
    this.certs.certPem = certPem;
    this.keys.keyPem = key.privateKeyPem;
    this.certs.rootPem = ca.certPem;
    this.writeIdentity(cluster.unlockKey);
    const self = { raftId: newRaftId(r), nodeId, addr: advertiseAddr };
    this.startProcesses({ kind: "new", self }, { cluster, node });
    // dockerd returns once the node is up: its manager leads and its agent registered.
    this.waitReady(
      () => done(null, nodeId),
      (err) => done(err),
    );
  }

  private forceNewCluster(_opts: InitOptions, done: Done<string>): void {
    if (!this.persisted) {
      done(new DaemonError(ERR_NO_SWARM));
      return;
    }
    if (this.persisted.role !== "manager" || !this.hasRaftData()) {
      done(new DaemonError(ERR_WORKER));
      return;
    }
    if (this.phase === "locked") {
      done(new DaemonError(ERR_LOCKED));
      return;
    }
    this.manager?.stop();
    this.manager = null;
    this.agent?.stop();
    this.agent = null;
    this.certs.cancelRenewal();
    this.startProcesses({ kind: "force-new-cluster" });
    this.waitReady(
      () => done(null, this.nodeId),
      (err) => done(err),
    );
  }

  /** Writes the node's identity, certificates and keys to disk and syncs them. */
  private writeIdentity(unlockKey: string): void {
    saveState(this.machine.disk, this.persisted!);
    this.certs.write();
    this.keys.write(unlockKey, this.persisted!.role);
    this.machine.disk.fsync();
  }

  /** Managers seal their keys again when the cluster's unlock key changes (MaybeUpdateKEK). */
  private followUnlockKey(): void {
    const c = this.manager?.store.cluster();
    if (!c || !this.persisted) return;
    const want = c.spec.encryptionConfig.autoLockManagers ? c.unlockKey : "";
    const dataKey = this.keys.follow(want, this.persisted.role);
    if (dataKey === undefined) return;
    this.manager?.consensus.setDataKey(dataKey);
    this.machine.disk.fsync();
  }

  private waitReady(ok: () => void, fail: (e: Error) => void): void {
    const start = this.sim.now();
    const inc = this.incarnation;
    const check = () => {
      if (inc !== this.incarnation || !this.persisted) return fail(new DaemonError(ERR_NOT_IN_SWARM));
      if (this.agent?.connected && (this.persisted.role !== "manager" || this.manager?.hasLeader()))
        return ok();
      if (this.sim.now() - start >= SWARM_CONNECT_TIMEOUT_MS) return fail(new DaemonError(ERR_JOIN_TIMEOUT));
      this.machine.after(100, check);
    };
    check();
  }

  // ---------------------------------------------------------------- join

  join(opts: JoinOptions, done: Done<NodeRole>): void {
    if (this.phase === "locked") {
      done(new DaemonError(ERR_LOCKED));
      return;
    }
    if (this.persisted || this.phase === "joining") {
      done(new DaemonError(ERR_ALREADY_IN_SWARM));
      return;
    }
    let listen: { host: string; port: number };
    let advertiseAddr: string;
    try {
      listen = resolveListenAddr(this.machine.interfaces, opts.listenAddr ?? `0.0.0.0:${DEFAULT_SWARM_PORT}`);
      // On join an advertise address is optional: the managers see where we connect from.
      let host = this.machine.address;
      let port = listen.port;
      if (opts.advertiseAddr) {
        const a = resolveAdvertiseAddr(this.machine.interfaces, opts.advertiseAddr, listen);
        host = a.host;
        port = a.port;
      } else if (listen.host !== "0.0.0.0") host = listen.host;
      advertiseAddr = `${host}:${port}`;
    } catch (e) {
      done(e instanceof AddressError ? new DaemonError(e.message) : (e as Error));
      return;
    }
    const r = this.rand("join");
    const key = generateKeyPair(r);
    const inc = this.incarnation;
    this.moveTo("joining");
    let answered = false;
    const answer = (err: Error | null, role?: NodeRole) => {
      if (answered) return;
      answered = true;
      done(err, role);
    };
    // dockerd gives up waiting after 20 s, while the join goes on in the background.
    const timeout = this.machine.after(SWARM_CONNECT_TIMEOUT_MS, () =>
      answer(new DaemonError(ERR_JOIN_TIMEOUT)),
    );
    const client = bootstrapJoin(
      this.machine,
      opts.remoteAddr,
      opts.token,
      key.publicKeyPem,
      opts.availability,
      this.sim.epochMs,
      (err, b) => {
        if (inc !== this.incarnation) return;
        if (err || !b) {
          this.moveTo("inactive");
          timeout.cancel();
          return answer(err instanceof GrpcError ? err : new DaemonError(err?.message ?? "join failed"));
        }
        const info = certificateInfo(b.certPem, this.sim.epochMs);
        this.persisted = {
          nodeId: b.nodeId,
          clusterId: info.clusterId,
          role: b.role,
          advertiseAddr,
          listenAddr: `${listen.host}:${listen.port}`,
          managers: [opts.remoteAddr],
        };
        this.certs.certPem = b.certPem;
        this.keys.keyPem = key.privateKeyPem;
        this.certs.rootPem = b.rootPem;
        this.writeIdentity("");
        if (b.role === "manager")
          this.joinRaft((e) => {
            // As dockerd: the node runner failed before the node was ready, so the join fails
            // and the swarm state is cleared (the node object stays in the cluster, Down).
            timeout.cancel();
            this.wipe();
            answer(new DaemonError(`manager stopped: can't initialize raft node: ${e.message}`));
          });
        this.startAgent();
        this.certs.schedule();
        this.waitReady(
          () => {
            this.moveTo("active");
            timeout.cancel();
            answer(null, b.role);
          },
          (e) => {
            timeout.cancel();
            answer(e);
          },
        );
      },
    );
    if (!client) {
      this.moveTo("inactive");
      timeout.cancel();
    }
  }

  /**
   * A manager without raft data asks the leader to add it, then starts raft (RaftJoin).
   * `unreachable`, for `docker swarm join`: the leader could not reach us, and the join gives
   * up instead of retrying (a promoted node keeps retrying).
   */
  private joinRaft(unreachable?: (err: GrpcError) => void): void {
    if (this.raftJoin || this.manager || !this.persisted) return;
    const inc = this.incarnation;
    const st = this.persisted;
    const join = new RaftJoin({
      machine: this.machine,
      listenPort: splitAddr(st.listenAddr)[1],
      advertiseAddr: st.advertiseAddr,
      clusterId: st.clusterId,
      epochMs: this.sim.epochMs,
      tls: this.certs.tls(),
      clientSecurity: this.certs.clientSecurity(),
      timeoutMs: SWARM_CONNECT_TIMEOUT_MS,
      candidates: () =>
        [this.agent?.remote ?? "", ...(this.persisted?.managers ?? [])].filter(
          (a) => a && a !== st.advertiseAddr,
        ),
      wanted: () => inc === this.incarnation && this.persisted?.role === "manager" && !this.manager,
      sameRun: () => inc === this.incarnation,
      ended: () => {
        if (this.raftJoin === join) this.raftJoin = null;
      },
      joined: (res) => {
        if (this.manager || this.persisted?.role !== "manager") return;
        this.startManager({
          kind: "join",
          self: { raftId: res.raftId, nodeId: st.nodeId, addr: st.advertiseAddr },
          members: res.members,
        });
      },
      unreachable,
    });
    this.raftJoin = join;
    join.start();
  }

  /**
   * Our raft member was removed (demotion): stop the manager and wipe its raft data. A worker
   * certificate should follow; if none has come after roleChangeTimeout the node asks for a
   * renewal, and if it still holds a manager certificate one timeout later it takes itself to
   * have been promoted again meanwhile (the role went back to manager before a worker
   * certificate was issued) and joins raft again (SwarmKit node.go, SWARMKIT.md §2.4).
   */
  private leftRaft(): void {
    const inc = this.incarnation;
    const stillManager = () =>
      inc === this.incarnation && this.persisted?.role === "manager" && !this.manager;
    this.machine.after(0, () => this.stopManager(true));
    this.machine.after(ROLE_CHANGE_TIMEOUT_MS, () => {
      if (!stillManager()) return;
      this.renew();
      this.machine.after(ROLE_CHANGE_TIMEOUT_MS, () => {
        if (stillManager()) this.joinRaft();
      });
    });
  }

  // ---------------------------------------------------------------- role changes and renewal

  private onNodeChange(n: NodeSummary): void {
    this.certs.nodeChanged(n);
  }

  /** Asks the CA for a new certificate (same key), with the role the node object has now. */
  renew(done?: Done): void {
    this.certs.renew(done);
  }

  /** A renewed certificate: store it, and follow its role (start or stop the manager). */
  private installCertificate(certPem: string, role: NodeRole): void {
    const st = this.persisted!;
    this.persisted = { ...st, role };
    saveState(this.machine.disk, this.persisted);
    this.certs.keep(certPem);
    if (role !== st.role) this.keys.write(role === "manager" ? this.keys.unlockKey : "", role);
    this.machine.disk.fsync();
    this.agent?.reconnect();
    this.manager?.certificateRenewed();
    this.certs.schedule();
    if (role === "manager" && !this.manager) this.joinRaft();
    if (role === "worker" && this.manager) this.stopManager(true);
  }

  // ---------------------------------------------------------------- leave / unlock

  leave(force: boolean, done: Done): void {
    if (!this.persisted && this.phase !== "joining") {
      done(new DaemonError(ERR_NOT_IN_SWARM));
      return;
    }
    if (this.phase === "locked" && !force) {
      done(new DaemonError(ERR_LOCKED_LEAVE));
      return;
    }
    if (this.persisted?.role === "manager" && !force) {
      const m = this.manager;
      if (!m?.hasLeader()) {
        done(new DaemonError(managerLeaveMessage(false, 0, 0)));
        return;
      }
      m.call(CONTROL.listNodes, {}, (err, res: { nodes: Node[] } | undefined) => {
        if (err || !res) return done(new DaemonError(managerLeaveMessage(false, 0, 0)));
        let reachable = 0;
        let unreachable = 0;
        for (const n of res.nodes) {
          if (!n.managerStatus) continue;
          if (n.managerStatus.reachability === "reachable") reachable++;
          else unreachable++;
        }
        done(new DaemonError(managerLeaveMessage(true, reachable, unreachable)));
      });
      return;
    }
    const nodeId = this.persisted?.nodeId;
    this.wipe();
    if (nodeId) this.options.onLeft?.({ machine: this.machine, nodeId });
    done(null);
  }

  /** Stops everything and forgets the swarm (the machine keeps running). */
  private wipe(): void {
    this.agent?.stop();
    this.agent = null;
    this.manager?.stop();
    this.manager = null;
    // A raft join under way belongs to the swarm being left (its answer is dropped: another run).
    this.raftJoin = null;
    this.persisted = null;
    this.certs.clear();
    this.keys.clear();
    this.moveTo("inactive");
    this.incarnation++;
    wipeSwarmState(this.machine.disk);
  }

  unlock(keyText: string, done: Done): void {
    if (this.phase !== "locked") {
      done(new DaemonError(this.persisted ? ERR_NOT_LOCKED : ERR_NOT_IN_SWARM));
      return;
    }
    const err = this.keys.unlock(keyText);
    if (err) {
      done(err);
      return;
    }
    this.moveTo("active");
    this.startProcesses({ kind: "restart" });
    done(null);
  }

  // ---------------------------------------------------------------- control API

  /**
   * A control-API call from the local docker CLI, with dockerd's checks first: not in a swarm,
   * a worker, locked, or a manager not ready.
   */
  control<T = any>(method: string, req: unknown, done: Done<T>): void {
    const err = this.controlError();
    if (err) {
      done(err);
      return;
    }
    this.manager!.call(method, req, (e, res) => done(e, res));
  }

  controlError(): Error | null {
    if (this.phase === "locked") return new DaemonError(ERR_LOCKED);
    if (!this.persisted) return new DaemonError(ERR_NO_SWARM);
    if (this.persisted.role !== "manager") return new DaemonError(ERR_WORKER);
    if (!this.manager || this.manager.isStopped) return new DaemonError(ERR_MANAGER_UNAVAILABLE);
    return null;
  }

  /**
   * The manager addresses this node keeps from its sessions (what a worker's docker info lists;
   * a manager lists its raft members instead, with their node IDs: node/info.ts).
   */
  remoteManagers(): string[] {
    return [...(this.persisted?.managers ?? [])];
  }
}
