// A machine's swarm component (what dockerd's daemon/cluster package is around a SwarmKit
// node): the local swarm state, `docker swarm init|join|leave|unlock`, the agent that every
// node runs and the manager that managers run, certificates and state on the machine's disk
// (recovered on restart), certificate renewal on the machine's clock, and role changes.
// Every operation is asynchronous in simulated time and takes a callback: nothing here blocks.
import { splitAddr } from "../api/address";
import { newNodeObject, type StatusResponse } from "../api/ca";
import type { NodeSummary } from "../api/dispatcher";
import { CA_METHODS, CONTROL, RAFT_MEMBERSHIP } from "../api/methods";
import type { Cluster, Node, NodeAvailability, NodeDescription, NodeRole } from "../api/types";
import type { TaskExecutor } from "../agent/executor";
import { Agent } from "../agent/agent";
import {
  decryptRecord,
  type EncryptedRecord,
  encryptRecord,
  generateDek,
  openDek,
  parseUnlockKey,
  sealDek,
  type StoredDek,
} from "../ca/autolock";
import { createRootCA, newJoinTokens, newUnlockKey, signNodeCertificate } from "../ca/cluster-pki";
import { certificateInfo } from "../ca/certificate";
import { DEFAULT_NODE_CERT_EXPIRATION_MS } from "../ca/constants";
import { newId, newRaftId } from "../ca/identity";
import { generateKeyPair, keyPairFromPem } from "../ca/keys";
import { certificateSignedBy } from "../ca/verify";
import { calculateRandomExpiry, renewalBackoff } from "../ca/renewal";
import type { Timer } from "../kernel/event-queue";
import type { Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import type { Sim } from "../kernel/sim";
import type { LeaderComponent } from "../manager/component";
import { ERR_HEALTH_CHECK_FAILURE, startJoinHealthServer } from "../manager/health";
import { Manager } from "../manager/manager";
import type { ConsensusFactory, ConsensusStart } from "../manager/raft-factory";
import { GrpcError } from "../transport/grpc-error";
import { RpcClient } from "../transport/rpc-client";
import { verifyServerChain } from "../transport/tls";
import { AddressError, DEFAULT_SWARM_PORT, resolveAdvertiseAddr, resolveListenAddr } from "./addresses";
import {
  DaemonError,
  ERR_ALREADY_IN_SWARM,
  ERR_BAD_UNLOCK_KEY,
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
import {
  loadState,
  NODE_CERT,
  NODE_KEY,
  type PersistedState,
  RAFT_DIR,
  ROOT_CERT,
  saveState,
  wipeSwarmState,
} from "./state";

export type LocalNodeState = "inactive" | "pending" | "active" | "locked" | "error";

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
/** A forced renewal (role change) waits this long first (SwarmKit renewer). */
const FORCED_RENEWAL_DELAY_MS = 500;
/** How long a node removed from raft waits for its worker certificate (SwarmKit roleChangeTimeout). */
export const ROLE_CHANGE_TIMEOUT_MS = 16_000;

type Done<T = void> = (err: Error | null, res?: T) => void;

export class SwarmNode {
  private persisted: PersistedState | null = null;
  private certPem = "";
  private keyPem = "";
  private rootPem = "";
  private locked = false;
  private pending = false;
  agent: Agent | null = null;
  manager: Manager | null = null;
  private renewTimer: Timer | null = null;
  private renewing = false;
  private renewFailures = 0;
  private joiningRaft = false;
  private incarnation = 0;
  private opCount = 0;
  private readonly random: Random;

  constructor(
    readonly sim: Sim,
    readonly machine: Machine,
    readonly options: SwarmNodeOptions,
  ) {
    this.random = sim.random.fork(`swarm/${machine.name}`);
    machine.onBoot(() => this.boot());
    machine.onHalt(() => this.halt());
    if (machine.isUp()) this.boot();
  }

  // ---------------------------------------------------------------- state

  get state(): LocalNodeState {
    if (this.locked) return "locked";
    if (this.pending) return "pending";
    // A failed join leaves the node inactive (dockerd drops the node runner).
    return this.persisted ? "active" : "inactive";
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
    return this.certPem;
  }

  get trustRoot(): string {
    return this.rootPem;
  }

  /** A fresh random stream for one operation (so a restart does not replay the same draws). */
  private rand(what: string): Random {
    return this.random.fork(`${this.incarnation}/${this.opCount++}/${what}`);
  }

  private description(): NodeDescription {
    return {
      hostname: this.machine.name,
      platform: { os: "linux", architecture: "x86_64" },
      resources: { nanoCPUs: 4e9, memoryBytes: 8 * 1024 ** 3 },
      engine: { engineVersion: this.options.engineVersion ?? "27.5.1", labels: {} },
    };
  }

  private tls() {
    return {
      chain: () => this.certPem || null,
      trustRoots: () => (this.rootPem ? [this.rootPem] : []),
    };
  }

  private clientSecurity() {
    return {
      clientChain: () => this.certPem || null,
      verifyServer: (chain: string | null) =>
        verifyServerChain(chain, this.rootPem, this.machine.localNow(), this.sim.epochMs),
    };
  }

  // ---------------------------------------------------------------- boot / halt

  private boot(): void {
    this.incarnation++;
    this.pending = false;
    this.locked = false;
    const st = loadState(this.machine.disk);
    if (!st) {
      this.persisted = null;
      return;
    }
    this.persisted = st;
    this.certPem = (this.machine.disk.read(NODE_CERT) as string) ?? "";
    this.rootPem = (this.machine.disk.read(ROOT_CERT) as string) ?? "";
    const key = this.machine.disk.read(NODE_KEY) as StoredNodeKey | undefined;
    if (key?.sealed) {
      // Autolock: without the unlock key this manager cannot read its TLS key, nor the data
      // key (DEK) its raft log and snapshots are encrypted with.
      this.locked = true;
      this.keyPem = "";
      this.dek = null;
      return;
    }
    this.keyPem = key?.pem ?? "";
    this.dek = key?.dek ? openDek(key.dek, null) : null;
    this.sealedWith = "";
    this.startProcesses({ kind: "restart" });
  }

  private halt(): void {
    this.renewTimer?.cancel();
    this.renewTimer = null;
    this.agent = null;
    this.manager = null;
    this.renewing = false;
    this.joiningRaft = false;
    this.pending = false;
  }

  /** Starts the agent, and the manager when the certificate says manager. */
  private startProcesses(start: ConsensusStart | null, bootstrap?: Manager["o"]["bootstrap"]): void {
    const st = this.persisted!;
    if (st.role === "manager" && start) {
      if (start.kind === "restart" && !this.hasRaftData()) this.joinRaft();
      else this.startManager(start, bootstrap);
    }
    this.startAgent();
    this.scheduleRenewal();
  }

  private hasRaftData(): boolean {
    return this.machine.disk.list(RAFT_DIR).length > 0;
  }

  private startManager(start: ConsensusStart, bootstrap?: Manager["o"]["bootstrap"]): void {
    const st = this.persisted!;
    if (!this.dek) {
      // A manager's raft data key, kept next to its TLS key (sealed with the KEK under autolock).
      this.dek = generateDek(this.rand("dek"));
      this.writeKey(this.sealedWith);
      this.machine.disk.fsync();
    }
    const [, port] = splitAddr(st.listenAddr);
    this.manager = new Manager({
      sim: this.sim,
      machine: this.machine,
      random: this.rand("manager"),
      nodeId: st.nodeId,
      clusterId: st.clusterId,
      advertiseAddr: st.advertiseAddr,
      listenPort: port,
      tls: this.tls(),
      consensusFactory: this.options.consensusFactory,
      start,
      dataDir: RAFT_DIR,
      tickMs: this.options.tickMs,
      bootstrap,
      leaderComponents: this.options.leaderComponents,
      onRemoved: () => this.leftRaft(),
      // Raft data is encrypted at rest while autolock is on (without it, the DEK would sit in
      // the clear next to the data, which SwarmKit's design treats as unencrypted).
      dataKey: this.sealedWith ? this.dek : null,
    });
    this.manager.store.events.on("commit", () => this.watchCluster());
    // The agent talks to its own manager from now on (SwarmKit's connection broker local conn).
    this.agent?.setLocalManager(st.advertiseAddr);
  }

  private startAgent(): void {
    const st = this.persisted!;
    const executor = this.options.executorFactory?.({ sim: this.sim, machine: this.machine, node: this });
    this.agent = new Agent({
      machine: this.machine,
      random: this.rand("agent"),
      security: this.clientSecurity(),
      managers: st.managers,
      localManager: this.manager ? st.advertiseAddr : "",
      description: this.description(),
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
      // The DEK goes with the data it protected (SwarmKit wipes the DEKs on demotion).
      this.dek = null;
      this.writeKey(this.sealedWith);
      this.machine.disk.fsync();
    }
  }

  // ---------------------------------------------------------------- init

  init(opts: InitOptions, done: Done<string>): void {
    if (this.state === "locked" && !opts.forceNewCluster) {
      done(new DaemonError(ERR_LOCKED));
      return;
    }
    // On a node that holds no swarm state, --force-new-cluster is a plain init (as in dockerd).
    if (opts.forceNewCluster && (this.persisted || this.locked)) {
      this.forceNewCluster(opts, done);
      return;
    }
    if (this.persisted || this.pending) {
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
    const certPem = signSelf(cluster as Cluster, nodeId, key.publicKeyPem, now, r, this.sim.epochMs);
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
    this.certPem = certPem;
    this.keyPem = key.privateKeyPem;
    this.rootPem = ca.certPem;
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
    if (this.locked) {
      done(new DaemonError(ERR_LOCKED));
      return;
    }
    this.manager?.stop();
    this.manager = null;
    this.agent?.stop();
    this.agent = null;
    this.renewTimer?.cancel();
    this.startProcesses({ kind: "force-new-cluster" });
    this.waitReady(
      () => done(null, this.nodeId),
      (err) => done(err),
    );
  }

  /** Writes the node's identity to disk and syncs it. */
  private writeIdentity(unlockKey: string): void {
    const d = this.machine.disk;
    saveState(d, this.persisted!);
    d.write(NODE_CERT, this.certPem);
    d.write(ROOT_CERT, this.rootPem);
    this.writeKey(unlockKey);
    d.fsync();
  }

  /** The node key: sealed with the unlock key (KEK) when autolock is on, on managers only. */
  private writeKey(unlockKey: string): void {
    const d = this.machine.disk;
    const kek = unlockKey && this.persisted?.role === "manager" ? parseUnlockKey(unlockKey) : null;
    const dek = this.dek ? sealDek(this.dek, kek, this.rand("seal-dek")) : undefined;
    if (kek) {
      d.write(NODE_KEY, {
        sealed: encryptRecord(kek, new TextEncoder().encode(this.keyPem), this.rand("seal")),
        dek,
      } satisfies StoredNodeKey);
    } else {
      d.write(NODE_KEY, { pem: this.keyPem, dek } satisfies StoredNodeKey);
    }
    this.sealedWith = kek ? unlockKey : "";
  }

  /** This manager's raft data key (null on workers). */
  private dek: Uint8Array | null = null;

  private sealedWith = "";

  /** Managers re-seal their key when the cluster's unlock key changes (MaybeUpdateKEK). */
  private watchCluster(): void {
    const c = this.manager?.store.cluster();
    if (!c || !this.persisted) return;
    const want = c.spec.encryptionConfig.autoLockManagers ? c.unlockKey : "";
    if (want !== this.sealedWith) {
      this.writeKey(want);
      // Autolock on: the raft data is rewritten under the DEK; off: in the clear.
      this.manager?.consensus.setDataKey(want ? this.dek : null);
      this.machine.disk.fsync();
    }
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
    if (this.locked) {
      done(new DaemonError(ERR_LOCKED));
      return;
    }
    if (this.persisted || this.pending) {
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
    this.pending = true;
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
      (err, b) => {
        if (inc !== this.incarnation) return;
        if (err || !b) {
          this.pending = false;
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
        this.certPem = b.certPem;
        this.keyPem = key.privateKeyPem;
        this.rootPem = b.rootPem;
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
        this.scheduleRenewal();
        this.waitReady(
          () => {
            this.pending = false;
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
      this.pending = false;
      timeout.cancel();
    }
  }

  /**
   * A manager without raft data asks the leader to add it (RaftMembership.Join), then starts raft.
   * Meanwhile it answers health checks on its swarm port, for the leader to check it can reach
   * the advertised address. `failed`, for `docker swarm join`: the leader could not reach us, and
   * the join gives up instead of retrying (a promoted node keeps retrying).
   */
  private joinRaft(failed?: (err: GrpcError) => void): void {
    if (this.joiningRaft || this.manager || !this.persisted) return;
    this.joiningRaft = true;
    const inc = this.incarnation;
    const st = this.persisted;
    let attempt = 0;
    const health = startJoinHealthServer(
      this.machine,
      splitAddr(st.listenAddr)[1],
      this.tls(),
      st.clusterId,
      this.sim.epochMs,
    );
    const tryJoin = () => {
      if (inc !== this.incarnation || !this.persisted || this.persisted.role !== "manager" || this.manager) {
        health.stop();
        this.joiningRaft = false;
        return;
      }
      const candidates = [this.agent?.remote ?? "", ...this.persisted.managers].filter(
        (a) => a && a !== st.advertiseAddr,
      );
      const target = candidates[attempt++ % Math.max(1, candidates.length)];
      if (!target) {
        this.machine.after(1000, tryJoin);
        return;
      }
      const [host, port] = splitAddr(target);
      const c = new RpcClient(this.machine, { address: host, port }, this.clientSecurity());
      c.call(RAFT_MEMBERSHIP.join, { addr: st.advertiseAddr }, SWARM_CONNECT_TIMEOUT_MS, (err, res) => {
        c.close();
        if (inc !== this.incarnation) return health.stop();
        if (err?.desc.startsWith(ERR_HEALTH_CHECK_FAILURE) && failed) {
          health.stop();
          this.joiningRaft = false;
          return failed(err);
        }
        if (err || !res) {
          this.machine.after(1000, tryJoin);
          return;
        }
        health.stop();
        this.joiningRaft = false;
        if (this.manager || this.persisted?.role !== "manager") return;
        this.startManager({
          kind: "join",
          self: { raftId: res.raftId, nodeId: st.nodeId, addr: st.advertiseAddr },
          members: res.members,
        });
      });
    };
    tryJoin();
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
    if (!this.persisted) return;
    if (n.rootCAPem && n.rootCAPem !== this.rootPem && certificateSignedBy(this.certPem, n.rootCAPem)) {
      // The root rotation finished and our certificate is from the new CA: trust the new root.
      this.rootPem = n.rootCAPem;
      this.machine.disk.write(ROOT_CERT, this.rootPem);
      this.machine.disk.fsync();
    }
    if (n.role !== this.persisted.role || n.certState === "rotate") {
      this.renewTimer?.cancel();
      this.renewTimer = this.machine.after(FORCED_RENEWAL_DELAY_MS, () => this.renew());
    }
  }

  private scheduleRenewal(): void {
    this.renewTimer?.cancel();
    if (!this.certPem) return;
    const info = certificateInfo(this.certPem, this.sim.epochMs);
    const at = calculateRandomExpiry(info.notBefore, info.notAfter, this.rand("renewal"));
    this.renewTimer = this.machine.after(Math.max(0, at - this.machine.localNow()), () => this.renew());
  }

  /** Asks the CA for a new certificate (same key), with the role the node object has now. */
  renew(done?: Done): void {
    if (!this.persisted || this.renewing) {
      done?.(null);
      return;
    }
    const target = this.agent?.remote || this.persisted.managers[0];
    if (!target) {
      done?.(null);
      return;
    }
    this.renewing = true;
    const inc = this.incarnation;
    const [host, port] = splitAddr(target);
    const c = new RpcClient(this.machine, { address: host, port }, this.clientSecurity());
    const fail = (err: Error) => {
      c.close();
      this.renewing = false;
      this.renewFailures++;
      this.renewTimer?.cancel();
      this.renewTimer = this.machine.after(
        Math.max(1000, renewalBackoff(this.renewFailures, this.rand("backoff"))),
        () => this.renew(),
      );
      done?.(err);
    };
    const keyPub = this.keyPem ? generatePublicFromPrivate(this.keyPem) : "";
    c.call(CA_METHODS.issue, { publicKeyPem: keyPub }, 5000, (err, res) => {
      if (inc !== this.incarnation) return;
      if (err) return fail(err);
      c.call(CA_METHODS.status, { nodeId: res.nodeId }, 5000, (err2, st: StatusResponse) => {
        c.close();
        if (inc !== this.incarnation) return;
        if (err2 || st.state !== "issued") return fail(err2 ?? new Error("certificate not issued"));
        this.renewing = false;
        this.renewFailures = 0;
        this.installCertificate(st.certificatePem, st.role);
        done?.(null);
      });
    });
  }

  private installCertificate(certPem: string, role: NodeRole): void {
    const st = this.persisted!;
    this.certPem = certPem;
    this.persisted = { ...st, role };
    saveState(this.machine.disk, this.persisted);
    this.machine.disk.write(NODE_CERT, certPem);
    if (role !== st.role) this.writeKey(role === "manager" ? this.sealedWith : "");
    this.machine.disk.fsync();
    this.agent?.reconnect();
    this.manager?.certificateRenewed();
    this.scheduleRenewal();
    if (role === "manager" && !this.manager) this.joinRaft();
    if (role === "worker" && this.manager) this.stopManager(true);
  }

  // ---------------------------------------------------------------- leave / unlock

  leave(force: boolean, done: Done): void {
    if (!this.persisted && !this.pending) {
      done(new DaemonError(ERR_NOT_IN_SWARM));
      return;
    }
    if (this.locked && !force) {
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
    this.wipe();
    done(null);
  }

  /** Stops everything and forgets the swarm (the machine keeps running). */
  private wipe(): void {
    this.renewTimer?.cancel();
    this.renewTimer = null;
    this.agent?.stop();
    this.agent = null;
    this.manager?.stop();
    this.manager = null;
    this.persisted = null;
    this.certPem = this.keyPem = this.rootPem = "";
    this.locked = false;
    this.pending = false;
    this.incarnation++;
    wipeSwarmState(this.machine.disk);
  }

  unlock(keyText: string, done: Done): void {
    if (!this.locked) {
      done(new DaemonError(this.persisted ? ERR_NOT_LOCKED : ERR_NOT_IN_SWARM));
      return;
    }
    let kek: Uint8Array;
    try {
      kek = parseUnlockKey(keyText);
    } catch (e) {
      done(new DaemonError((e as Error).message));
      return;
    }
    const stored = this.machine.disk.read(NODE_KEY) as StoredNodeKey;
    try {
      this.keyPem = new TextDecoder().decode(decryptRecord(kek, stored.sealed as EncryptedRecord));
      this.dek = stored.dek ? openDek(stored.dek, kek) : null;
    } catch {
      done(new DaemonError(ERR_BAD_UNLOCK_KEY));
      return;
    }
    this.locked = false;
    this.sealedWith = keyText.trim();
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
    if (this.locked) return new DaemonError(ERR_LOCKED);
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

/** swarm-node.key: the TLS key (plain, or sealed with the KEK) and the raft data key. */
interface StoredNodeKey {
  pem?: string;
  sealed?: EncryptedRecord;
  dek?: StoredDek;
}

function signSelf(
  cluster: Cluster,
  nodeId: string,
  publicKeyPem: string,
  now: number,
  r: Random,
  epochMs: number,
): string {
  return signNodeCertificate(cluster, { nodeId, role: "manager", publicKeyPem, nowMs: now }, r, epochMs);
}

function generatePublicFromPrivate(privateKeyPem: string): string {
  return keyPairFromPem(privateKeyPem).publicKeyPem;
}
