// The agent (SwarmKit agent/agent.go, session.go): keeps a session with the leader's
// dispatcher through one of the managers it knows, drawn by weight (remotes.ts): the leader
// or a follower, which proxies the session to the leader. A manager node's agent uses its own
// manager. It heartbeats on the period the dispatcher gives, reconnects with backoff (100 ms
// doubling to 8 s) when a manager goes away, hands its task assignments to the TaskExecutor
// and forwards the executor's status reports.
import { splitAddr } from "../api/address";
import {
  AGENT_RPC_TIMEOUT_MS,
  type HeartbeatResponse,
  type NodeSummary,
  type RegisterResponse,
  type SessionPush,
  type TaskStatusReport,
} from "../api/dispatcher";
import { DISPATCHER } from "../api/methods";
import type { NodeDescription, Task } from "../api/types";
import type { Timer } from "../kernel/event-queue";
import type { Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import type { GrpcError } from "../transport/grpc-error";
import { type ClientSecurity, RpcClient } from "../transport/rpc-client";
import type { TaskExecutor } from "./executor";
import { OBSERVATION_WEIGHT, Remotes } from "./remotes";

/** The session backoff (SWARMKIT.md §4.1); the call deadline is AGENT_RPC_TIMEOUT_MS. */
export const BACKOFF_INITIAL_MS = 100;
export const BACKOFF_MAX_MS = 8000;

export interface AgentOptions {
  machine: Machine;
  random: Random;
  security: ClientSecurity;
  /** The managers it knows (host:port): the join address, or those it saved. */
  managers: readonly string[];
  /** A manager node's own running manager (host:port): its agent always connects there. */
  localManager?: string;
  /** The node's description as of now (sent with every session: its TLSInfo changes on renewal). */
  description: () => NodeDescription;
  executor?: TaskExecutor | null;
  /** The node object changed (role, desired role, availability, trust root). */
  onNode?(node: NodeSummary): void;
  /** The manager list changed (the node persists it for restarts). */
  onManagers?(managers: readonly string[]): void;
}

/** The agent's lifecycle: made, running (keeping a session), stopped for good. */
export type AgentState = "created" | "running" | "stopped";

const TRANSITIONS: Readonly<Record<AgentState, readonly AgentState[]>> = {
  created: ["running", "stopped"],
  running: ["stopped"],
  stopped: [],
};

/** How long task status reports whose call failed wait before they are sent again. */
const REPORT_RETRY_MS = 1000;

export class Agent {
  // The fields a heartbeat reads come first (V8 lays an object out in field order, and at 10^4
  // nodes each cache line of an agent a heartbeat touches is a miss).
  private state: AgentState = "created";
  private current: RpcClient | null = null;
  private sessionId = "";
  /** The heartbeat in flight, for its answer (Agent.onHeartbeat). */
  private inflight: RpcClient | null = null;
  /** The heartbeat request of this session (the same every time: no allocation per beat). */
  private beatRequest = { sessionId: "" };
  /** The last push of the current session taken in (see SessionPush.seq). */
  private pushSeq = 0;
  /** The last manager list the dispatcher gave (kept to skip unchanged lists cheaply). */
  private managers: readonly string[];
  private timer: Timer | null = null;
  private readonly machine: Machine;
  private readonly clients = new Map<string, RpcClient>();
  private readonly remotes: Remotes;
  /** The manager the next session goes to, if set (the same one after a renewal). */
  private prefer = "";
  private localManager: string;
  private backoff = 0;
  private reports: TaskStatusReport[] = [];
  private reportTimer: Timer | null = null;
  /** The latest task set from the dispatcher (for tests and `docker node ps` on workers). */
  tasks: readonly Task[] = [];
  node: NodeSummary | null = null;
  private readonly o: AgentOptions;

  constructor(o: AgentOptions) {
    this.o = o;
    this.machine = o.machine;
    this.managers = o.managers;
    this.remotes = new Remotes(o.random, o.managers);
    this.localManager = o.localManager ?? "";
    o.executor?.onStatus((r) => this.report(r));
  }

  get connected(): boolean {
    return this.sessionId !== "";
  }

  /** The managers this agent knows (host:port): the join address, then the dispatcher's lists. */
  get knownManagers(): readonly string[] {
    return this.managers;
  }

  /** The manager the session runs through ("" when none). */
  get remote(): string {
    return this.current ? `${this.current.target.address}:${this.current.target.port}` : "";
  }

  start(): void {
    this.moveTo("running");
    this.connect();
  }

  stop(): void {
    this.moveTo("stopped");
    this.timer?.cancel();
    this.reportTimer?.cancel();
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
    this.o.executor?.close();
  }

  private moveTo(next: AgentState): void {
    if (!TRANSITIONS[this.state].includes(next))
      throw new Error(`agent on ${this.o.machine.name}: no transition from ${this.state} to ${next}`);
    this.state = next;
  }

  /** After a certificate renewal: new connections, which present the new certificate. */
  reconnect(): void {
    for (const c of this.clients.values()) c.reconnect();
    // The session stream lived on the old connection: open a new one on the same manager.
    if (this.state === "stopped") return;
    this.prefer = this.remote;
    this.timer?.cancel();
    this.connect();
  }

  /**
   * This node's manager started (its address) or stopped (""): later sessions go to it, or
   * to the remotes (the current session stays where it is until it fails).
   */
  setLocalManager(addr: string): void {
    this.localManager = addr;
  }

  private client(addr: string): RpcClient {
    let c = this.clients.get(addr);
    if (!c) {
      const [host, port] = splitAddr(addr);
      c = new RpcClient(this.o.machine, { address: host, port }, this.o.security);
      c.onPush = (body: SessionPush) => this.onPush(c!, body);
      this.clients.set(addr, c);
    }
    return c;
  }

  private pickManager(): string {
    if (this.localManager) return this.localManager;
    if (this.prefer) {
      const p = this.prefer;
      this.prefer = "";
      return p;
    }
    return this.remotes.select();
  }

  private connect(): void {
    if (this.state === "stopped") return;
    this.sessionId = "";
    const addr = this.pickManager();
    if (!addr) {
      this.retry();
      return;
    }
    const c = this.client(addr);
    this.current = c;
    c.call(
      DISPATCHER.register,
      { description: this.o.description() },
      AGENT_RPC_TIMEOUT_MS,
      (err, res: RegisterResponse) => {
        if (this.state === "stopped" || this.current !== c) return;
        if (err) {
          this.remotes.observeIfExists(addr, -OBSERVATION_WEIGHT);
          return this.retry();
        }
        this.remotes.observe(addr, OBSERVATION_WEIGHT);
        this.backoff = 0;
        this.sessionId = res.sessionId;
        this.pushSeq = 0;
        this.setManagers(res.managers);
        this.setNode(res.node);
        this.scheduleHeartbeat(res.periodMs);
        // Every task's status again on a new session (SwarmKit's agent: worker.Report).
        this.o.executor?.reportAll();
        if (this.reports.length > 0) this.flushReports();
      },
    );
  }

  private retry(): void {
    this.sessionId = "";
    this.backoff = this.backoff === 0 ? BACKOFF_INITIAL_MS : Math.min(BACKOFF_MAX_MS, this.backoff * 2);
    const wait = this.backoff * (0.5 + this.o.random.next() * 0.5);
    this.timer?.cancel();
    this.timer = this.o.machine.after(wait, () => this.connect());
  }

  private scheduleHeartbeat(periodMs: number): void {
    this.timer?.cancel();
    this.timer = this.machine.afterWith(periodMs, Agent.beat, this);
  }

  private heartbeat(): void {
    const c = this.current;
    if (this.state === "stopped" || !c || !this.sessionId) return;
    this.inflight = c;
    if (this.beatRequest.sessionId !== this.sessionId) this.beatRequest = { sessionId: this.sessionId };
    c.callWith(DISPATCHER.heartbeat, this.beatRequest, AGENT_RPC_TIMEOUT_MS, Agent.onHeartbeat, this);
  }

  /** A heartbeat's answer: one function for every agent (see RpcClient.callWith). */
  private static onHeartbeat(a: Agent, err: GrpcError | null, res: HeartbeatResponse | undefined): void {
    const f = a.inflight;
    a.inflight = null;
    if (!f || a.state === "stopped" || a.current !== f || a.sessionId !== a.beatRequest.sessionId) return;
    if (err) {
      // NotFound: the dispatcher forgot us (new leader, or expired): register again at once.
      if (err.code === "NotFound") {
        a.connect();
        return;
      }
      a.remotes.observeIfExists(a.remote, -OBSERVATION_WEIGHT);
      a.retry();
      return;
    }
    // The session sent pushes this agent never got: open a new one (its answer has the state).
    if ((res!.pushSeq ?? 0) > a.pushSeq) {
      a.connect();
      return;
    }
    a.setManagers(res!.managers);
    a.scheduleHeartbeat(res!.periodMs);
  }

  /** The heartbeat timer's function, one for every agent (see Machine.afterWith). */
  private static beat(a: Agent): void {
    // The timer has fired: cancelling it later would only miscount the kernel's pending events.
    a.timer = null;
    a.heartbeat();
  }

  private setManagers(list: readonly string[]): void {
    if (!list || list === this.managers || list.length === 0) return;
    if (list.length === this.managers.length && list.every((a, i) => a === this.managers[i])) {
      this.managers = list;
      return;
    }
    this.managers = list;
    this.remotes.replace(list);
    this.o.onManagers?.(list);
  }

  private setNode(n: NodeSummary): void {
    this.node = n;
    this.o.onNode?.(n);
  }

  private onPush(c: RpcClient, body: SessionPush): void {
    if (this.state === "stopped" || c !== this.current) return;
    if (body.seq !== undefined) {
      // A push went missing (dropped by the network): the stream is broken, open a new session.
      if (body.seq !== this.pushSeq + 1) {
        this.connect();
        return;
      }
      this.pushSeq = body.seq;
    }
    switch (body.k) {
      case "node":
        this.setNode(body.node);
        return;
      case "tasks":
        this.tasks = body.tasks;
        this.o.executor?.assign(body.tasks);
        return;
      case "managers":
        this.setManagers(body.managers);
        return;
      case "disconnect":
        this.sessionId = "";
        this.retry();
        return;
    }
  }

  private report(r: TaskStatusReport): void {
    this.reports.push(r);
    if (!this.reportTimer && this.sessionId)
      this.reportTimer = this.o.machine.after(0, () => this.flushReports());
  }

  private flushReports(): void {
    this.reportTimer = null;
    const c = this.current;
    if (!c || !this.sessionId || this.reports.length === 0) return;
    const updates = this.reports;
    this.reports = [];
    c.call(
      DISPATCHER.updateTaskStatus,
      { sessionId: this.sessionId, updates },
      AGENT_RPC_TIMEOUT_MS,
      (err) => {
        if (!err || this.state === "stopped") return;
        // Keep them for the next session (states only move forward, so resending is safe),
        // the latest state of each task only: several failed calls put back one after another
        // used to reverse their order, and the dispatcher keeps a task's last update (as
        // SwarmKit's does), so RUNNING was followed by ACCEPTED and the task stayed ACCEPTED.
        this.reports = latestPerTask(updates.concat(this.reports));
        // And send them again on this session in a while (SwarmKit's status reporter retries):
        // waiting for the next session left a report lost while the session survived behind
        // for good (a task stopped on the node stayed RUNNING in the store).
        if (!this.reportTimer)
          this.reportTimer = this.o.machine.after(REPORT_RETRY_MS, () => this.flushReports());
      },
    );
  }
}

/** The latest (highest) state reported for each task, in the order the tasks first appear. */
function latestPerTask(reports: readonly TaskStatusReport[]): TaskStatusReport[] {
  const latest = new Map<string, TaskStatusReport>();
  for (const r of reports) {
    const seen = latest.get(r.taskId);
    if (!seen || r.state > seen.state) latest.set(r.taskId, r);
  }
  return [...latest.values()];
}
