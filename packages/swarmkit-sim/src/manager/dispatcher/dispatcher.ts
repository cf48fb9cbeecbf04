// The dispatcher (SwarmKit manager/dispatcher), run on the leader only: agents' sessions,
// heartbeats kept in memory (never through Raft; their grace is heartbeats.ts's), the node
// status they imply (READY on registration, DOWN after period x 3 without a heartbeat, UNKNOWN
// for everyone when a new leader starts, DISCONNECTED when the dispatcher drops a session),
// the registration rate limit (rate-limit.ts), each node's task assignments pushed down its
// session, and task status reports written to the store in batches.
import type {
  HeartbeatRequest,
  HeartbeatResponse,
  NodeSummary,
  RegisterRequest,
  RegisterResponse,
  SessionPush,
  TaskStatusReport,
  UpdateTaskStatusRequest,
} from "../../api/dispatcher";
import type { Cluster, Node, Task } from "../../api/types";
import { TaskState } from "../../api/types";
import { CpuLane } from "../../kernel/cpu";
import type { Timer } from "../../kernel/event-queue";
import type { Machine } from "../../kernel/machine";
import type { Random } from "../../kernel/random";
import { newId } from "../../ca/identity";
import { GrpcError } from "../../transport/grpc-error";
import type { RpcServer, ServerCall } from "../../transport/rpc-server";
import type { CostModel } from "../cost-model";
import type { Proposer, StoreAction, StoreEvent } from "../store/actions";
import { type Beating, GRACE_MULTIPLIER, HeartbeatExpiry, jitteredPeriod } from "./heartbeats";
import { checkRegistrationRate, type RegistrationRate } from "./rate-limit";
import type { MemoryStore } from "../store/memory-store";
import { WriteTx } from "../store/write-tx";

/** SwarmKit defaults (dispatcher.go): store batching, and how long a node may stay DOWN. */
export const STATUS_BATCH_MS = 100;
export const MAX_BATCH_ITEMS = 10000;
export const NODE_DOWN_PERIOD_MS = 24 * 3_600_000;
/** The status message of a node whose session the dispatcher dropped (SWARMKIT.md §4.2). */
export const NODE_DISCONNECTED_MESSAGE = "node is currently trying to find new manager";

interface Session extends Beating {
  nodeId: string;
  /** Still the node's session in `sessions` (a session kept on a connection may be stale). */
  current: boolean;
  sessionId: string;
  /** The connection on which pushes go (0: none). */
  conn: number;
  /** The stream on `conn` when a follower proxies the session (0: the agent's own connection). */
  stream: number;
  /** Pushes sent on this session so far (see SessionPush.seq). */
  pushSeq: number;
  /** The message DOWN carries (the grace after a leader change has its own). */
  downMessage: string;
  /** Registration rate-limit state, handed from each session of the node to the next. */
  rate: RegistrationRate;
}

export interface DispatcherDeps {
  machine: Machine;
  store: MemoryStore;
  proposer: Proposer;
  random: Random;
  server: RpcServer;
  /** Manager addresses, for agents to fail over (a shared array: rebuilt only when it changes). */
  managers(): readonly string[];
  /** The CPU model: assignment pushes cost the machine (null: nothing). */
  costs?: CostModel | null;
}

type StatusUpdate = { state: Node["status"]["state"]; message: string; addr?: string };
/** A queued status with its number in the order statuses were decided (see latestStatus). */
type QueuedStatus = StatusUpdate & { seq: number };

export class Dispatcher {
  private readonly sessions = new Map<string, Session>();
  private readonly nodeUpdates = new Map<string, QueuedStatus>();
  /**
   * The number of the latest status decided for each node (queued, or written at once by
   * disconnect()). A failed batch puts back only statuses still the latest: putting back an
   * UNKNOWN whose node registered meanwhile (its READY sent in a later batch, committed first)
   * made the stale UNKNOWN commit last, and the node stayed Unknown with a live session.
   */
  private readonly latestStatus = new Map<string, number>();
  private statusSeq = 0;
  private readonly taskUpdates = new Map<string, TaskStatusReport & { nodeId: string }>();
  private flushTimer: Timer | null = null;
  /** Nodes whose assignments changed, with how many of their tasks did. */
  private readonly dirtyTasks = new Map<string, number>();
  private pushTimer: Timer | null = null;
  /** The pushes take effect in order (one goroutine sends them). */
  private readonly pushLane = new CpuLane();
  private running = false;
  private readonly onChange = (e: StoreEvent) => this.watch(e);
  /** The nodes' heartbeat grace (heartbeats.ts). */
  private readonly expiry: HeartbeatExpiry<Session>;

  constructor(private readonly d: DispatcherDeps) {
    this.expiry = new HeartbeatExpiry(d.machine, (s) => this.expired(s));
  }

  /** The cluster's heartbeat period, read at start and on cluster changes (hot path). */
  private period = 5000;

  private periodMs(): number {
    return this.period;
  }

  private jittered(): number {
    return jitteredPeriod(this.periodMs(), this.d.random);
  }

  start(): void {
    this.running = true;
    this.period = this.d.store.cluster()?.spec.dispatcher.heartbeatPeriodMs ?? 5000;
    this.d.store.events.on("change", this.onChange);
    // A new leader does not know who is alive: every node not already DOWN becomes UNKNOWN and
    // gets twice the usual grace to register again (dispatcher.go markNodesUnknown).
    const grace = this.periodMs() * GRACE_MULTIPLIER * 2;
    for (const n of this.d.store.values("node")) {
      if (n.status.state === "down") {
        this.armOrphaning(n.id);
        continue;
      }
      this.queueNode(n.id, {
        state: "unknown",
        message: `Node moved to "unknown" state due to leadership change in cluster`,
      });
      const s: Session = {
        nodeId: n.id,
        current: true,
        sessionId: "",
        conn: 0,
        stream: 0,
        pushSeq: 0,
        expiresAt: this.d.machine.localNow() + grace,
        timer: null,
        downMessage: `heartbeat failure for node in "unknown" state`,
        // Never registered here: its first registration opens a fresh window.
        rate: { attempts: 0, registeredAt: Number.NEGATIVE_INFINITY },
      };
      this.sessions.set(n.id, s);
      this.expiry.track(s);
    }
  }

  stop(): void {
    // Every live session is dropped: its node goes DISCONNECTED while its agent looks for a
    // manager. The write is best-effort, as in SwarmKit: a manager that lost leadership cannot
    // commit it, and the new leader's dispatcher marks the nodes UNKNOWN anyway (start()).
    const dropped: string[] = [];
    for (const s of this.sessions.values()) if (s.sessionId) dropped.push(this.dropSession(s));
    this.proposeDisconnected(dropped);
    this.running = false;
    this.d.store.events.off("change", this.onChange);
    for (const s of this.sessions.values()) {
      s.timer?.cancel();
      s.current = false;
    }
    this.sessions.clear();
    this.unanswered.clear();
    this.expiry.clear();
    for (const t of this.orphanTimers.values()) t.cancel();
    this.orphanTimers.clear();
    this.nodeUpdates.clear();
    this.latestStatus.clear();
    this.taskUpdates.clear();
    this.flushTimer?.cancel();
    this.flushTimer = null;
    this.pushTimer?.cancel();
    this.pushTimer = null;
    this.dirtyTasks.clear();
    this.afterFlush = [];
  }

  /**
   * Tells a node's agent to disconnect (SwarmKit nodes.Disconnect): its session ends, the agent
   * gets `node must disconnect` and looks for a manager again, and the node shows DISCONNECTED
   * until it registers again (READY) or its heartbeat grace runs out (DOWN). Returns whether
   * the node had a live session.
   */
  disconnect(nodeId: string): boolean {
    const s = this.sessions.get(nodeId);
    if (!s?.sessionId || !this.running) return false;
    this.dropSession(s);
    // Written at once, not batched (SwarmKit markNodeNotReady): an agent that re-registers at
    // once must not hide it by overwriting the queued status before the batch goes out.
    this.nodeUpdates.delete(nodeId);
    this.latestStatus.set(nodeId, ++this.statusSeq);
    this.proposeDisconnected([nodeId]);
    return true;
  }

  /**
   * Ends a live session but keeps tracking the node: heartbeats on the old session now get
   * NotFound, and the grace it had still runs, so a node that never comes back goes DOWN.
   */
  private dropSession(s: Session): string {
    this.pushTo(s, { k: "disconnect" });
    s.sessionId = "";
    s.conn = 0;
    return s.nodeId;
  }

  /** Sends down the node's session stream, if it has one. */
  private pushTo(s: Session | undefined, body: SessionPush): void {
    if (!s?.conn) return;
    s.pushSeq++;
    this.d.server.push(s.conn, { ...body, seq: s.pushSeq }, s.stream);
  }

  /** One direct write of DISCONNECTED for the nodes a stopping dispatcher dropped. */
  private proposeDisconnected(nodeIds: string[]): void {
    if (nodeIds.length === 0 || !this.running) return;
    const tx = new WriteTx(this.d.store, this.d.machine.sim.now());
    for (const id of nodeIds) {
      if (!this.d.store.get("node", id)) continue;
      tx.update("node", id, (n) => {
        n.status = { ...n.status, state: "disconnected", message: NODE_DISCONNECTED_MESSAGE };
      });
    }
    if (tx.actions.length > 0) this.proposeNodeWrites(tx.actions, nodeIds, () => {});
  }

  /**
   * Node status writes proposed and not yet settled, per node. A queued status equal to the
   * committed one is skipped only when none is in flight: otherwise a READY found "unchanged"
   * while a DOWN is on its way to commit would leave the node Down with a live session.
   */
  private readonly nodeWritesInFlight = new Map<string, number>();

  private proposeNodeWrites(
    actions: StoreAction[],
    nodeIds: Iterable<string>,
    done: (err: Error | null) => void,
  ): void {
    const ids = [...nodeIds];
    for (const id of ids) this.nodeWritesInFlight.set(id, (this.nodeWritesInFlight.get(id) ?? 0) + 1);
    this.d.proposer.propose(actions, (err) => {
      for (const id of ids) {
        const left = (this.nodeWritesInFlight.get(id) ?? 1) - 1;
        if (left > 0) this.nodeWritesInFlight.set(id, left);
        else this.nodeWritesInFlight.delete(id);
      }
      done(err);
    });
  }

  /** Nodes with a live session (for tests and docker info). */
  sessionCount(): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.sessionId) n++;
    return n;
  }

  register(req: RegisterRequest, call: ServerCall): void {
    const nodeId = call.peer?.nodeId;
    if (!nodeId) {
      call.fail(
        new GrpcError("PermissionDenied", "Permission denied: unauthorized peer role: no certificate"),
      );
      return;
    }
    const node = this.d.store.get("node", nodeId);
    if (!node) {
      call.fail(new GrpcError("NotFound", `node ${nodeId} not found`));
      return;
    }
    const now = this.d.machine.localNow();
    const old = this.sessions.get(nodeId);
    if (old) {
      // A refusal leaves the current session as it is (SwarmKit checks before replacing it).
      const refused = checkRegistrationRate(nodeId, old.rate, now);
      if (refused) {
        call.fail(refused);
        return;
      }
      old.timer?.cancel();
      old.current = false;
    }
    const period = this.jittered();
    const s: Session = {
      nodeId,
      current: true,
      sessionId: newId(this.d.random),
      conn: call.conn,
      stream: call.stream,
      pushSeq: 0,
      expiresAt: now + period * GRACE_MULTIPLIER,
      timer: null,
      downMessage: "heartbeat failure",
      rate: old?.rate ?? { attempts: 0, registeredAt: now },
    };
    this.sessions.set(nodeId, s);
    this.unanswered.add(s);
    if (call.slot) call.slot.data = s;
    this.expiry.track(s);
    this.queueNode(nodeId, { state: "ready", message: "", addr: call.fromAddress });
    if (req.description && !sameDescription(node, req.description)) this.queueDescription(nodeId, req);
    // As SwarmKit's markNodeReady: the session opens once the READY status is committed.
    this.afterFlush.push(() => {
      this.unanswered.delete(s);
      if (this.sessions.get(nodeId) !== s) return call.fail(new GrpcError("Aborted", "session superseded"));
      // Told to disconnect before its session even opened.
      if (!s.sessionId) return call.fail(new GrpcError("Aborted", "node must disconnect"));
      const cur = this.d.store.get("node", nodeId) ?? node;
      const managers = this.currentManagers();
      const res: RegisterResponse = {
        sessionId: s.sessionId,
        periodMs: period,
        node: summaryOf(cur, this.d.store),
        managers,
      };
      call.reply(res);
      this.pushTo(s, {
        k: "tasks",
        tasks: assignmentsOf(this.d.store, nodeId),
      });
    });
  }

  /** The manager list last handed out (the shared array: a new one means it changed). */
  private managersSeen: readonly string[] | null = null;

  /**
   * The managers, for an answer; when the list changed since last handed out, every session
   * hears it at once (SwarmKit's dispatcher watches raft's peers and sends each session a
   * message with the new list). Waiting for each node's next heartbeat left an agent whose
   * session broke before it (its own manager demoted, say) with only the managers it knew at
   * registration: a first manager demoted soon after the others joined knew none but itself.
   */
  private currentManagers(): readonly string[] {
    const list = this.d.managers();
    if (list === this.managersSeen) return list;
    this.managersSeen = list;
    if (list.length > 0)
      // A session not yet answered gets the list in its answer (a push before the answer
      // would number ahead of the session the agent has not opened yet).
      for (const s of this.sessions.values())
        if (!this.unanswered.has(s)) this.pushTo(s, { k: "managers", managers: list });
    return list;
  }

  /** Sessions registered whose answer waits for their READY to commit. */
  private readonly unanswered = new Set<Session>();

  /** Registrations waiting for the batch that marks their node READY. */
  private afterFlush: (() => void)[] = [];

  heartbeat(req: HeartbeatRequest, call: ServerCall): void {
    const nodeId = call.peer?.nodeId ?? "";
    // The session kept on the connection, if still current: no lookup by node ID per beat.
    let s = call.slot?.data as Session | undefined;
    if (!s?.current || s.nodeId !== nodeId) s = this.sessions.get(nodeId);
    if (!s || s.sessionId !== req.sessionId) {
      call.fail(sessionError(s));
      return;
    }
    const period = this.jittered();
    this.expiry.beat(s, period * GRACE_MULTIPLIER);
    const res: HeartbeatResponse = { periodMs: period, managers: this.currentManagers(), pushSeq: s.pushSeq };
    call.reply(res);
  }

  updateTaskStatus(req: UpdateTaskStatusRequest, call: ServerCall): void {
    const nodeId = call.peer?.nodeId ?? "";
    const s = this.sessions.get(nodeId);
    if (!s || s.sessionId !== req.sessionId) {
      call.fail(sessionError(s));
      return;
    }
    // A node reports only on its own tasks: one report on another's refuses the whole request.
    for (const u of req.updates) {
      const t = this.d.store.get("task", u.taskId);
      if (t && t.nodeId !== nodeId) {
        call.fail(new GrpcError("PermissionDenied", "cannot update a task not assigned this node"));
        return;
      }
    }
    // States only move forward: a late copy of an older report (a retried call delivered after
    // a newer one) must not replace a newer one still queued, as the store would get the older.
    for (const u of req.updates) {
      const queued = this.taskUpdates.get(u.taskId);
      if (!queued || queued.state <= u.state) this.taskUpdates.set(u.taskId, { ...u, nodeId });
    }
    this.scheduleFlush();
    call.reply({});
  }

  /** A node's heartbeat grace ran out: it is DOWN, and its tasks are orphaned in 24 h. */
  private expired(s: Session): void {
    this.sessions.delete(s.nodeId);
    s.current = false;
    this.queueNode(s.nodeId, { state: "down", message: s.downMessage });
    this.armOrphaning(s.nodeId);
  }

  /**
   * A node down for 24 h has its tasks orphaned (dispatcher.go, defaultNodeDownPeriod): their
   * state becomes ORPHANED, so the orchestrators stop waiting for them.
   */
  private armOrphaning(nodeId: string): void {
    this.orphanTimers.get(nodeId)?.cancel();
    this.orphanTimers.set(
      nodeId,
      this.d.machine.after(NODE_DOWN_PERIOD_MS, () => {
        this.orphanTimers.delete(nodeId);
        const n = this.d.store.get("node", nodeId);
        if (n?.status.state !== "down" || this.sessions.get(nodeId)?.sessionId) return;
        const tx = new WriteTx(this.d.store, this.d.machine.sim.now());
        for (const t of this.d.store.tasksByNode(nodeId)) {
          if (t.status.state < TaskState.ASSIGNED || t.status.state > TaskState.RUNNING) continue;
          tx.update("task", t.id, (x) => {
            x.status = {
              ...x.status,
              state: TaskState.ORPHANED,
              message: "",
              timestamp: this.d.machine.sim.now(),
            };
          });
        }
        if (tx.actions.length > 0) this.d.proposer.propose(tx.actions, () => {});
      }),
    );
  }

  private readonly orphanTimers = new Map<string, Timer>();

  private queueNode(nodeId: string, u: StatusUpdate): void {
    const seq = ++this.statusSeq;
    this.latestStatus.set(nodeId, seq);
    this.nodeUpdates.set(nodeId, { ...u, seq });
    this.scheduleFlush();
  }

  private readonly descriptions = new Map<string, RegisterRequest>();
  private queueDescription(nodeId: string, req: RegisterRequest): void {
    this.descriptions.set(nodeId, req);
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    const n = this.nodeUpdates.size + this.taskUpdates.size;
    this.flushTimer = this.d.machine.after(n >= MAX_BATCH_ITEMS ? 0 : STATUS_BATCH_MS, () => {
      this.flushTimer = null;
      this.flush();
    });
  }

  /** Writes the queued node and task status changes in one transaction. */
  private flush(): void {
    if (!this.running) return;
    const nodes = [...this.nodeUpdates];
    const tasks = [...this.taskUpdates.values()];
    this.nodeUpdates.clear();
    this.taskUpdates.clear();
    const tx = new WriteTx(this.d.store, this.d.machine.sim.now());
    for (const [id, u] of nodes) {
      const cur = this.d.store.get("node", id);
      if (!cur) continue;
      const desc = this.descriptions.get(id)?.description;
      if (
        !desc &&
        cur.status.state === u.state &&
        cur.status.message === u.message &&
        (u.addr === undefined || u.addr === cur.status.addr) &&
        !this.nodeWritesInFlight.has(id)
      )
        continue;
      this.descriptions.delete(id);
      tx.update("node", id, (n) => {
        n.status = { state: u.state, message: u.message, addr: u.addr ?? n.status.addr };
        if (desc) n.description = desc;
      });
    }
    for (const u of tasks) {
      const cur = this.d.store.get("task", u.taskId);
      // States only move forward (who may report was checked when the report came).
      if (!cur || u.state < cur.status.state) continue;
      tx.update("task", u.taskId, (t) => {
        t.status = {
          ...t.status,
          state: u.state,
          message: u.message,
          err: u.err,
          containerId: u.containerId ?? t.status.containerId,
          exitCode: u.exitCode,
          timestamp: this.d.machine.sim.now(),
        };
        if (u.ports) t.status.ports = u.ports;
      });
    }
    const waiting = this.afterFlush;
    this.afterFlush = [];
    const release = () => {
      for (const w of waiting) w();
    };
    if (tx.actions.length === 0) {
      release();
      return;
    }
    this.proposeNodeWrites(tx.actions, nodesWritten(tx.actions), (err) => {
      if (!this.running) return;
      if (!err) return release();
      // Registrations wait for the retry.
      this.afterFlush.unshift(...waiting);
      // A conflicting write got there first, or the proposal failed: retry what still applies.
      // A node's status is retried only if no later one was queued since (a new leader's UNKNOWN
      // must not commit after the node's READY).
      for (const [id, u] of nodes)
        if (!this.nodeUpdates.has(id) && this.latestStatus.get(id) === u.seq) this.nodeUpdates.set(id, u);
      // A task's later report may be queued, or back from another failed flush: keep the
      // furthest state (flushes overlap; the one failing last may carry an older report).
      for (const u of tasks) {
        const queued = this.taskUpdates.get(u.taskId);
        if (!queued || queued.state < u.state) this.taskUpdates.set(u.taskId, u);
      }
      this.scheduleFlush();
    });
  }

  /** Store changes that a node's agent must hear about: its node object and its tasks. */
  private watch(e: StoreEvent): void {
    if (e.type === "cluster") {
      const c = e.object as Cluster;
      this.period = c.spec.dispatcher.heartbeatPeriodMs;
      const old = e.old as Cluster | undefined;
      if (old && old.rootCA.caCertPem !== c.rootCA.caCertPem) {
        // A finished root rotation: every node learns the new trust root.
        for (const [id, s] of this.sessions) {
          const n = this.d.store.get("node", id);
          if (s && n) this.pushTo(s, { k: "node", node: summaryOf(n, this.d.store) });
        }
      }
      return;
    }
    if (e.type === "node" && e.op === "update") {
      const n = e.object as Node;
      const o = e.old as Node;
      if (
        n.spec.desiredRole !== o.spec.desiredRole ||
        n.role !== o.role ||
        n.spec.availability !== o.spec.availability ||
        n.certificate.state !== o.certificate.state
      ) {
        const s = this.sessions.get(n.id);
        this.pushTo(s, { k: "node", node: summaryOf(n, this.d.store) });
      }
      return;
    }
    if (e.type === "node" && e.op === "delete") {
      const s = this.sessions.get(e.object.id);
      if (s) {
        s.timer?.cancel();
        s.current = false;
        this.pushTo(s, { k: "disconnect" });
        this.sessions.delete(e.object.id);
      }
      return;
    }
    if (e.type !== "task") return;
    const t = e.object as Task;
    if (t.nodeId) this.dirtyTasks.set(t.nodeId, (this.dirtyTasks.get(t.nodeId) ?? 0) + 1);
    const old = e.old as Task | undefined;
    if (old?.nodeId && old.nodeId !== t.nodeId)
      this.dirtyTasks.set(old.nodeId, (this.dirtyTasks.get(old.nodeId) ?? 0) + 1);
    if (!this.pushTimer) {
      this.pushTimer = this.d.machine.after(0, () => {
        this.pushTimer = null;
        const nodes = [...this.dirtyTasks.keys()];
        let changed = 0;
        for (const n of this.dirtyTasks.values()) changed += n;
        this.dirtyTasks.clear();
        const push = () => {
          if (!this.running) return;
          for (const nodeId of nodes)
            this.pushTo(this.sessions.get(nodeId), {
              k: "tasks",
              tasks: assignmentsOf(this.d.store, nodeId),
            });
        };
        // SwarmKit sends each node the changes to its assignments: per push, per task changed.
        const c = this.d.costs;
        if (c)
          this.d.machine.cpu.run(c.pushMs * nodes.length + c.assignmentMs * changed, push, this.pushLane);
        else push();
      });
    }
  }
}

/** The nodes a batch writes. */
function nodesWritten(actions: readonly StoreAction[]): string[] {
  const ids: string[] = [];
  for (const a of actions) if (a.type === "node") ids.push(a.op === "delete" ? a.id : a.object.id);
  return ids;
}

/**
 * SwarmKit's nodeStore.GetWithSession: a node with no session here is "node not registered"
 * (NotFound: its agent registers again at once); one whose session has been replaced is told
 * "session invalid" (InvalidArgument).
 */
function sessionError(s: Session | undefined): GrpcError {
  return s?.sessionId
    ? new GrpcError("InvalidArgument", "session invalid")
    : new GrpcError("NotFound", "node not registered");
}

/**
 * A node's assignments, as SwarmKit's dispatcher sends them: its tasks from ASSIGNED on (below,
 * the scheduler may still move them), finished ones too until the task reaper deletes them, so
 * the agent keeps their exited containers (`docker ps -a` on the node) and removes each one
 * with its task.
 */
export function assignmentsOf(store: MemoryStore, nodeId: string): Task[] {
  return store.tasksByNode(nodeId).filter((t) => t.status.state >= TaskState.ASSIGNED);
}

export function summaryOf(n: Node, store: MemoryStore): NodeSummary {
  return {
    desiredRole: n.spec.desiredRole,
    role: n.role,
    availability: n.spec.availability,
    certState: n.certificate.state,
    rootCAPem: store.cluster()?.rootCA.caCertPem ?? "",
  };
}

function sameDescription(n: Node, d: RegisterRequest["description"]): boolean {
  const c = n.description;
  return (
    !!c &&
    c.hostname === d.hostname &&
    c.engine.engineVersion === d.engine.engineVersion &&
    c.tlsInfo?.certIssuerPublicKey === d.tlsInfo?.certIssuerPublicKey
  );
}
