// A manager's routes (SwarmKit's gRPC services on manager.go's server): each method, who may
// call it, where it is served (by any manager, on the leader after the raft proxy, on the
// leader after a ReadIndex, by the leader's dispatcher with followers proxying the session),
// and its handler. Every handler first checks its request (validate.ts): a malformed one is
// answered with SwarmKit's code and message, on the leader as SwarmKit's handlers do after the
// raft proxy.
import { joinHostPort, splitHostPort } from "../api/address";
import { AGENT_RPC_TIMEOUT_MS, type SessionPush } from "../api/dispatcher";
import { CA_METHODS, CONTROL, DISPATCHER, RAFT_MEMBERSHIP, RAFT_MESSAGE } from "../api/methods";
import { newRaftId } from "../ca/identity";
import type { Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import type { Cluster } from "../api/types";
import { securityBugs } from "../transport/bugs";
import { GrpcError } from "../transport/grpc-error";
import { authLevelOf } from "../transport/tls";
import type { ClientSecurity } from "../transport/rpc-client";
import type { RpcServer, ServerCall } from "../transport/rpc-server";
import { getRootCA, issueNodeCertificate, nodeCertificateStatus } from "./ca-server";
import type { Consensus, RaftMemberInfo } from "./consensus";
import { getUnlockKey, redactCluster, updateCluster } from "./controlapi/cluster";
import { type ControlDeps, listNodes, removeNode, resolveNode, updateNode } from "./controlapi/nodes";
import {
  parseCreateNetwork,
  parseCreateService,
  parseRemoveById,
  parseUpdateService,
} from "./controlapi/service-wire";
import {
  createNetwork,
  createService,
  removeNetwork,
  removeService,
  rollbackService,
  type ServiceControl,
  updateService,
} from "./controlapi/services";
import type { Dispatcher } from "./dispatcher/dispatcher";
import { checkHealth, serveHealth } from "./health";
import type { LeaderRouter } from "./leader-router";
import type { RpcRaftTransport } from "./raft/rpc-transport";
import type { StreamRelay } from "./proxied-streams";
import type { Proposer } from "./store/actions";
import type { MemoryStore } from "./store/memory-store";
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
  parseRaftMessage,
  parseRemoveNode,
  parseSession,
  parseTaskStatus,
  parseUpdateCluster,
  parseUpdateNode,
} from "./validate";

/** What the routes need of their manager. */
export interface RouteHost {
  readonly server: RpcServer;
  readonly router: LeaderRouter;
  /** Raft's own connections to the other managers (incoming messages go to it). */
  readonly raftTransport: RpcRaftTransport;
  readonly store: MemoryStore;
  readonly consensus: Consensus;
  /** Writes through raft (followers forward them to the leader). */
  readonly proposer: Proposer;
  readonly machine: Machine;
  readonly random: Random;
  /** How this manager dials another (the health check of a joining member). */
  readonly clientSecurity: ClientSecurity;
  /** Whether this manager runs and leads. */
  isLeader(): boolean;
  /** The leader's running dispatcher (null on a follower). */
  dispatcher(): Dispatcher | null;
  controlDeps(): ControlDeps & { random: Random };
  /** A member was added: agents registering from now on must hear of it. */
  membersChanged(): void;
}

/** Registers every method a manager serves on its server. */
export function registerRoutes(m: RouteHost): void {
  const s = m.server;
  const redacted = (c: Cluster) => (securityBugs(m.machine.sim).noRedaction ? c : redactCluster(c));
  // Each method's level comes from SwarmKit's authorization table (transport/tls.ts authLevelOf).
  const handle = (method: string, serve: (req: any, call: ServerCall) => void) =>
    s.handle(method, authLevelOf(method), serve);
  const onLeader = (method: string, serve: (req: any, call: ServerCall) => void) =>
    handle(method, (req, call) => m.router.route(method, req, call, () => serve(req, call)));
  // Reads that must be current: the leader confirms its leadership first (ReadIndex), so a
  // deposed leader that has not noticed yet cannot answer from a stale store.
  const readOnLeader = <T>(
    method: string,
    parse: (body: unknown) => T,
    serve: (req: T, call: ServerCall) => void,
  ) =>
    onLeader(method, (body, call) => {
      const req = parse(body);
      m.consensus.readIndex((err) => {
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
  handle(CA_METHODS.getRootCA, (req, call) => {
    parseEmpty(req);
    getRootCA(m.store, call);
  });
  const caDeps = () => ({
    machine: m.machine,
    store: m.store,
    proposer: m.proposer,
    random: m.random,
  });
  onLeader(CA_METHODS.issue, (req, call) => issueNodeCertificate(caDeps(), parseIssue(req), call));
  onLeader(CA_METHODS.status, (req, call) =>
    nodeCertificateStatus(m.store, parseCertificateStatus(req), call),
  );

  // Control API: managers only, answered by the leader.
  readOnLeader(CONTROL.listNodes, parseEmpty, (_req, call) =>
    call.reply({ nodes: listNodes(m.controlDeps()) }),
  );
  readOnLeader(CONTROL.getNode, parseGetNode, (req, call) => {
    const n = resolveNode(listNodes(m.controlDeps()), req.ref);
    call.reply({ node: n });
  });
  onLeader(CONTROL.updateNode, (req, call) =>
    updateNode(m.controlDeps(), parseUpdateNode(req), settle(call)),
  );
  onLeader(CONTROL.removeNode, (req, call) =>
    removeNode(m.controlDeps(), parseRemoveNode(req), settle(call)),
  );
  readOnLeader(CONTROL.getCluster, parseEmpty, (_req, call) => {
    const c = m.store.cluster();
    if (!c) return call.fail(new GrpcError("NotFound", "cluster not found"));
    call.reply({ cluster: redacted(c) });
  });
  onLeader(CONTROL.updateCluster, (req, call) =>
    updateCluster(m.controlDeps(), parseUpdateCluster(req), (err, c) =>
      settle(call, { cluster: c && redacted(c) })(err),
    ),
  );
  readOnLeader(CONTROL.listTasks, parseListTasks, (req, call) =>
    call.reply({ tasks: req.nodeId ? m.store.tasksByNode(req.nodeId) : m.store.list("task") }),
  );
  readOnLeader(CONTROL.getUnlockKey, parseEmpty, (_req, call) => call.reply(getUnlockKey(m.controlDeps())));

  // Raft's own messages between managers (not forwarded). Peers send them without waiting
  // for an answer; a caller that waits gets SwarmKit's (an empty response, or an error).
  handle(RAFT_MESSAGE, (body, call) => {
    const wire = parseRaftMessage(body);
    const err =
      wire && m.raftTransport.receive(wire, { host: call.fromAddress, nodeId: call.peer?.nodeId ?? "" });
    if (err) call.fail(err);
    else call.reply(EMPTY);
  });

  // Services and networks (controlapi/service.go, network.go), on the leader like every
  // control call: the docker CLI of any manager reaches them through its own manager, which
  // forwards. There is no generic store write: what a manager's certificate can change is what
  // these methods validate and write.
  const serviceDeps = (): ServiceControl => ({
    store: m.store,
    proposer: m.proposer,
    random: m.random,
    now: () => m.machine.sim.now(),
    machineAddresses: () => {
      const sim = m.machine.sim;
      return sim.machineNames().flatMap((n) => sim.machine(n).addresses);
    },
  });
  const answer =
    <T>(call: ServerCall, key: string) =>
    (err: Error | null, res?: T) =>
      err ? call.fail(asGrpc(err)) : call.reply({ [key]: res });
  onLeader(CONTROL.createService, (req, call) =>
    createService(serviceDeps(), parseCreateService(req).spec, answer(call, "service")),
  );
  onLeader(CONTROL.updateService, (req, call) => {
    const r = parseUpdateService(req);
    if (r.rollback) return rollbackService(serviceDeps(), r.serviceId, answer(call, "service"));
    const spec = r.spec!;
    updateService(serviceDeps(), r.serviceId, () => spec, answer(call, "service"));
  });
  onLeader(CONTROL.removeService, (req, call) =>
    removeService(serviceDeps(), parseRemoveById(req, "serviceId"), answer(call, "service")),
  );
  onLeader(CONTROL.createNetwork, (req, call) =>
    createNetwork(serviceDeps(), parseCreateNetwork(req), answer(call, "network")),
  );
  onLeader(CONTROL.removeNetwork, (req, call) =>
    removeNetwork(serviceDeps(), parseRemoveById(req, "networkId"), answer(call, "network")),
  );

  // Raft membership: a new manager asks the leader to add it.
  onLeader(RAFT_MEMBERSHIP.join, (req, call) => joinMember(m, parseJoin(req), call));
  onLeader(RAFT_MEMBERSHIP.leave, (body, call) => {
    const req = parseLeave(body);
    const member = m.consensus.members().find((x) => x.nodeId === req.nodeId);
    if (!member) return call.reply({});
    if (!m.consensus.canRemoveMember(member.raftId))
      return call.fail(
        new GrpcError(
          "FailedPrecondition",
          "raft: member cannot be removed, because removing it may result in loss of quorum",
        ),
      );
    m.consensus.removeMember(member.raftId, settle(call));
  });

  serveHealth(s);

  // Dispatcher: sessions live with the leader's dispatcher. A follower proxies them (the
  // session stream, its heartbeats and task reports) with the agent's identity and address,
  // within the agent's own 5 s deadline.
  const dispatch = (call: ServerCall): Dispatcher | null => {
    const d = m.dispatcher();
    if (!d) call.fail(new GrpcError("Aborted", "dispatcher is stopped"));
    return d;
  };
  handle(DISPATCHER.register, (body, call) => {
    const req = parseSession(body);
    const d = m.dispatcher();
    if (d) return d.register(req, call);
    m.router.openStream(
      DISPATCHER.register,
      req,
      call,
      () => dispatch(call)?.register(req, call),
      relayTo(m.server, call),
      AGENT_RPC_TIMEOUT_MS,
    );
  });
  // The leader serves at once (no closure per heartbeat); a follower forwards.
  const forward = <T>(
    method: string,
    parse: (body: any) => T,
    serve: (d: Dispatcher, req: T, call: ServerCall) => void,
  ) =>
    handle(method, (body, call) => {
      const req = parse(body);
      const d = m.dispatcher();
      if (d) return serve(d, req, call);
      m.router.route(
        method,
        req,
        call,
        () => {
          const d = dispatch(call);
          if (d) serve(d, req, call);
        },
        m.machine.localNow() + AGENT_RPC_TIMEOUT_MS,
      );
    });
  forward(DISPATCHER.heartbeat, parseHeartbeat, (d, req, call) => d.heartbeat(req, call));
  forward(DISPATCHER.updateTaskStatus, parseTaskStatus, (d, req, call) => d.updateTaskStatus(req, call));
}

function asGrpc(err: Error): GrpcError {
  return err instanceof GrpcError ? err : new GrpcError("Unknown", err.message);
}

/** Where a session proxied through this follower goes: down the agent's own connection. */
function relayTo(server: RpcServer, call: ServerCall): StreamRelay {
  return {
    push: (body) => {
      server.push(call.conn, body);
      return (body as SessionPush).k !== "disconnect";
    },
    end: () => server.push(call.conn, { k: "disconnect" } satisfies SessionPush),
  };
}

/** RaftMembership.Join on the leader (SwarmKit raft.go Join). */
function joinMember(m: RouteHost, req: { addr: string }, call: ServerCall): void {
  const nodeId = call.peer?.nodeId ?? "";
  // An unspecified host is replaced by the address the request came from.
  const { host, port } = splitHostPort(req.addr)!;
  const addr = host === "" || host === "0.0.0.0" ? joinHostPort(call.fromAddress, port) : req.addr;
  // The leader must reach the new member where it says it is, or raft could never talk to it.
  checkHealth(m.machine, addr, m.clientSecurity, (err) => {
    if (err) return call.fail(err);
    if (!m.isLeader())
      return call.fail(
        new GrpcError("FailedPrecondition", "raft: failed to process the request: node lost leader status"),
      );
    addJoiningMember(m, nodeId, addr, call);
  });
}

function addJoiningMember(m: RouteHost, nodeId: string, addr: string, call: ServerCall): void {
  const existing = m.consensus.members().find((x) => x.nodeId === nodeId);
  if (existing) {
    call.reply({ raftId: existing.raftId, members: m.consensus.members() });
    return;
  }
  let raftId = newRaftId(m.random);
  while (m.consensus.member(raftId)) raftId = newRaftId(m.random);
  const info: RaftMemberInfo = { raftId, nodeId, addr };
  m.consensus.addMember(info, (err) => {
    if (err) return call.fail(err instanceof GrpcError ? err : new GrpcError("Unknown", err.message));
    // Agents registering from now on must hear of the new manager, not a list up to a tick old.
    m.membersChanged();
    call.reply({ raftId, members: m.consensus.members() });
  });
}
