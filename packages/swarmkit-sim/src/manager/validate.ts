// What a manager checks in a request before serving it, so that a malformed one (a test, or a
// stolen certificate calling straight past dockerd) gets SwarmKit's answer rather than a
// JavaScript error, and cannot put ill-typed data in the store or in raft. Two layers, as in
// SwarmKit:
//
// 1. Decoding. gRPC decodes the protobuf body before any SwarmKit code runs; bytes that are not
//    a message of the method's type fail with `codes.Internal, "grpc: error unmarshalling
//    request: %v"` (grpc server.go processUnaryRPC) and the gogo decoder's error. Here a body
//    that is not an object, or a field of the wrong JavaScript type, stands for such bytes (the
//    decoder's text is our best match, not byte-exact). An absent body or field decodes as
//    the zero value (null is {}), as in protobuf.
// 2. SwarmKit's own checks at the top of each handler, with its codes and messages (cited on
//    each parser below).
//
// The methods that carry the traffic cost a few typeofs and allocate nothing for a well-formed
// request: a raft message, a task report or a heartbeat is passed on as it came.
import type { Message, Snapshot } from "@swarm-sim/raft";
import { splitHostPort } from "../api/address";
import type { IssueRequest } from "../api/ca";
import type {
  HeartbeatRequest,
  RegisterRequest,
  TaskStatusReport,
  UpdateTaskStatusRequest,
} from "../api/dispatcher";
import type { RaftWireMessage } from "../api/raft";
import type { NodeAvailability, NodeDescription, NodeRole, PortConfig } from "../api/types";
import { GrpcError } from "../transport/grpc-error";
import type { ClusterUpdate } from "./controlapi/cluster";
import type { NodeSpecPatch } from "./controlapi/nodes";

type Fields = Readonly<Record<string, unknown>>;

/** The empty message (a reply with no fields, or an absent request body). */
export const EMPTY: Fields = Object.freeze({});

const UNMARSHAL = "grpc: error unmarshalling request";

/** controlapi's errInvalidArgument (manager/controlapi/server.go). */
const invalidArgument = () => new GrpcError("InvalidArgument", "invalid argument");

// ---------------------------------------------------------------- decoding

/** The request as the handler gets it: an object, {} for no body. */
export function decodeBody(body: unknown): Fields {
  if (body === null || body === undefined) return EMPTY;
  if (typeof body !== "object" || Array.isArray(body))
    throw new GrpcError("Internal", `${UNMARSHAL}: unexpected EOF`);
  return body as Fields;
}

/** gogo's error for a field sent with another wire type than its own. */
export function wrongType(field: string, v: unknown): GrpcError {
  const wire = typeof v === "boolean" || Number.isInteger(v) ? 0 : typeof v === "number" ? 1 : 2;
  return new GrpcError("Internal", `${UNMARSHAL}: proto: wrong wireType = ${wire} for field ${field}`);
}

/** A string field ("" when absent). `field` is SwarmKit's name for it, for the error. */
function str(m: Fields, key: string, field: string): string {
  const v = m[key];
  if (typeof v === "string") return v;
  if (v === undefined || v === null) return "";
  throw wrongType(field, v);
}

/** An optional field of a type `ok` accepts (undefined when absent). */
function opt<T>(m: Fields, key: string, field: string, ok: (v: unknown) => v is T): T | undefined {
  const v = m[key];
  if (v === undefined || v === null) return undefined;
  if (ok(v)) return v;
  throw wrongType(field, v);
}

const isString = (v: unknown): v is string => typeof v === "string";
const isBool = (v: unknown): v is boolean => typeof v === "boolean";
/** Any number protobuf can carry (a duration, a count): finite. */
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
/** A uint64 / enum value: a non-negative integer. */
const isUint = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isInt = (v: unknown): v is number => Number.isInteger(v);
const isObject = (v: unknown): v is Fields => typeof v === "object" && v !== null && !Array.isArray(v);

/** A PortConfig as services and task statuses carry it (SwarmKit api.PortConfig). */
export function isPortConfig(p: unknown): p is PortConfig {
  if (!isObject(p)) return false;
  const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  return (
    isString(p.protocol) &&
    count(p.targetPort) &&
    (p.publishedPort === undefined || count(p.publishedPort)) &&
    isString(p.publishMode) &&
    (p.name === undefined || isString(p.name))
  );
}

const isPortConfigs = (v: unknown): v is PortConfig[] => Array.isArray(v) && v.every(isPortConfig);

/** An embedded message ({} when absent). */
function sub(m: Fields, key: string, field: string): Fields {
  return opt(m, key, field, isObject) ?? EMPTY;
}

/** A map<string, string> field. */
function stringMap(m: Fields, key: string, field: string): Record<string, string> | undefined {
  const v = opt(m, key, field, isObject);
  if (v === undefined) return undefined;
  for (const k in v) if (typeof v[k] !== "string") throw wrongType(field, v[k]);
  return v as Record<string, string>;
}

/** A repeated string field. */
function stringList(m: Fields, key: string, field: string): string[] | undefined {
  const v = opt(m, key, field, Array.isArray);
  if (v === undefined) return undefined;
  for (const x of v) if (typeof x !== "string") throw wrongType(field, x);
  return v as string[];
}

/** An enum field given by name (undefined when absent); another name is `invalid()`. */
function oneOf<T extends string>(
  m: Fields,
  key: string,
  field: string,
  names: readonly T[],
  invalid: () => GrpcError,
): T | undefined {
  const v = opt(m, key, field, isString);
  if (v === undefined) return undefined;
  if (!(names as readonly string[]).includes(v)) throw invalid();
  return v as T;
}

const AVAILABILITIES: readonly NodeAvailability[] = ["active", "pause", "drain"];
const ROLES: readonly NodeRole[] = ["worker", "manager"];

/** Requests with no fields this simulation reads (ListNodes, GetCluster, GetUnlockKey, ...). */
export function parseEmpty(body: unknown): Fields {
  return decodeBody(body);
}

// ---------------------------------------------------------------- CA (ca/server.go)

/** IssueNodeCertificate: an empty CSR is refused before anything else is looked at. */
export function parseIssue(body: unknown): IssueRequest {
  const m = decodeBody(body);
  const publicKeyPem = str(m, "publicKeyPem", "CSR");
  const token = str(m, "token", "Token");
  const bad = () => new GrpcError("InvalidArgument", "InvalidArgument");
  const availability = oneOf(m, "availability", "Availability", AVAILABILITIES, bad);
  if (publicKeyPem === "") throw bad();
  return { token, publicKeyPem, availability };
}

/** NodeCertificateStatus: `codes.InvalidArgument, codes.InvalidArgument.String()` without an ID. */
export function parseCertificateStatus(body: unknown): { nodeId: string } {
  const nodeId = str(decodeBody(body), "nodeId", "NodeID");
  if (nodeId === "") throw new GrpcError("InvalidArgument", "InvalidArgument");
  return { nodeId };
}

// ---------------------------------------------------------------- control API (controlapi/*.go)

/** GetNode: no node ID is errInvalidArgument. (The reference is dockerd's, resolved here.) */
export function parseGetNode(body: unknown): { ref: string } {
  const ref = str(decodeBody(body), "ref", "NodeID");
  if (ref === "") throw invalidArgument();
  return { ref };
}

/** UpdateNode: no node ID or no spec is errInvalidArgument (validateNodeSpec). */
export function parseUpdateNode(body: unknown): { id: string; patch: NodeSpecPatch } {
  const m = decodeBody(body);
  const id = str(m, "id", "NodeID");
  const p = opt(m, "patch", "Spec", isObject);
  if (id === "" || p === undefined) throw invalidArgument();
  const patch: NodeSpecPatch = {
    availability: oneOf(p, "availability", "Availability", AVAILABILITIES, invalidArgument),
    desiredRole: oneOf(p, "desiredRole", "DesiredRole", ROLES, invalidArgument),
    labelsAdd: stringMap(p, "labelsAdd", "Labels"),
    labelsRm: stringList(p, "labelsRm", "Labels"),
  };
  return { id, patch };
}

/** RemoveNode: no node ID is errInvalidArgument. */
export function parseRemoveNode(body: unknown): { id: string; force: boolean } {
  const m = decodeBody(body);
  const id = str(m, "id", "NodeID");
  const force = opt(m, "force", "Force", isBool) ?? false;
  if (id === "") throw invalidArgument();
  return { id, force };
}

/** UpdateCluster: validateClusterSpec's checks (the expiry minimum is updateCluster's). */
export function parseUpdateCluster(body: unknown): ClusterUpdate {
  const m = decodeBody(body);
  const u: ClusterUpdate = {
    certExpiryMs: opt(m, "certExpiryMs", "NodeCertExpiry", isNumber),
    autolock: opt(m, "autolock", "AutoLockManagers", isBool),
    heartbeatPeriodMs: opt(m, "heartbeatPeriodMs", "HeartbeatPeriod", isNumber),
    taskHistoryLimit: opt(m, "taskHistoryLimit", "TaskHistoryRetentionLimit", isNumber),
    rotateWorkerToken: opt(m, "rotateWorkerToken", "RotateWorkerToken", isBool),
    rotateManagerToken: opt(m, "rotateManagerToken", "RotateManagerToken", isBool),
    rotateUnlockKey: opt(m, "rotateUnlockKey", "RotateManagerUnlockKey", isBool),
    forceRotateCA: opt(m, "forceRotateCA", "ForceRotate", isBool),
  };
  if (u.heartbeatPeriodMs !== undefined && u.heartbeatPeriodMs < 0)
    throw new GrpcError("InvalidArgument", "heartbeat time period cannot be a negative duration");
  return u;
}

/** ListTasks: an optional node filter. */
export function parseListTasks(body: unknown): { nodeId: string } {
  return { nodeId: str(decodeBody(body), "nodeId", "NodeIDs") };
}

// ---------------------------------------------------------------- raft (state/raft/raft.go)

/** Join: the address must split into host and port (net.SplitHostPort). */
export function parseJoin(body: unknown): { addr: string } {
  const addr = str(decodeBody(body), "addr", "Addr");
  if (splitHostPort(addr) === null)
    throw new GrpcError("InvalidArgument", `invalid address ${addr} in raft join request`);
  return { addr };
}

/** Leave: `codes.InvalidArgument, "no node information provided"` without a member. */
export function parseLeave(body: unknown): { nodeId: string } {
  const nodeId = str(decodeBody(body), "nodeId", "Node");
  if (nodeId === "") throw new GrpcError("InvalidArgument", "no node information provided");
  return { nodeId };
}

const RAFT_NUMBERS = ["from", "to", "term", "logTerm", "index", "commit", "rejectHint"] as const;
const RAFT_TYPES: ReadonlySet<string> = new Set([
  "MsgHup",
  "MsgBeat",
  "MsgProp",
  "MsgApp",
  "MsgAppResp",
  "MsgVote",
  "MsgVoteResp",
  "MsgPreVote",
  "MsgPreVoteResp",
  "MsgSnap",
  "MsgHeartbeat",
  "MsgHeartbeatResp",
  "MsgUnreachable",
  "MsgSnapStatus",
  "MsgCheckQuorum",
  "MsgTransferLeader",
  "MsgTimeoutNow",
  "MsgReadIndex",
  "MsgReadIndexResp",
]);
const ZERO_SNAPSHOT: Snapshot = Object.freeze({
  metadata: { index: 0, term: 0, confState: { voters: [] } },
  data: undefined,
});

/**
 * ProcessRaftMessage's body, or null for one raft ignores: no message ("received empty
 * message", answered with an empty response) or a type that is none of raft's. Entry and
 * snapshot data stay opaque, as raft's bytes are; the rest must have raft's types.
 */
export function parseRaftMessage(body: unknown): RaftWireMessage | null {
  const w = decodeBody(body);
  const from = str(w, "from", "Addr");
  const m = opt(w, "msg", "Message", isObject);
  if (m === undefined) return null;
  const type = str(m, "type", "Type");
  let complete = typeof m.reject === "boolean" && Array.isArray(m.entries);
  for (const k of RAFT_NUMBERS) {
    const v = m[k];
    if (isUint(v)) continue;
    // raftpb's field names: From, To, Term, LogTerm, ...
    if (v !== undefined && v !== null) throw wrongType(k[0].toUpperCase() + k.slice(1), v);
    complete = false;
  }
  opt(m, "reject", "Reject", isBool);
  const entries = opt(m, "entries", "Entries", Array.isArray) ?? [];
  for (const e of entries) {
    if (!isObject(e)) throw wrongType("Entries", e);
    if (!isUint(e.term) || !isUint(e.index) || (e.type !== "normal" && e.type !== "confChange"))
      throw wrongType("Entries", e);
  }
  const snap = opt(m, "snapshot", "Snapshot", isObject);
  if (snap) checkSnapshot(snap);
  if (!RAFT_TYPES.has(type)) return null;
  // A well-formed message (every one a manager sends) is passed on as it came.
  if (complete && (snap || type !== "MsgSnap"))
    return typeof w.from === "string"
      ? (w as unknown as RaftWireMessage)
      : { msg: m as unknown as Message, from };
  // The zero values of what was left out, in raft's one message shape.
  const msg = {
    ...(m as unknown as Message),
    entries,
    reject: m.reject === true,
    snapshot: snap as Snapshot | undefined,
  };
  for (const k of RAFT_NUMBERS) if (!isUint(m[k])) msg[k] = 0;
  if (type === "MsgSnap" && !snap) msg.snapshot = ZERO_SNAPSHOT;
  return { msg, from };
}

function checkSnapshot(s: Fields): void {
  const meta = sub(s, "metadata", "Metadata");
  const voters = sub(meta, "confState", "ConfState").voters;
  if (!isUint(meta.index) || !isUint(meta.term) || !Array.isArray(voters) || !voters.every(isUint))
    throw wrongType("Snapshot", s);
}

// ---------------------------------------------------------------- health (manager/health)

/** Health.Check: "" (the server) or a known service; another is NotFound "unknown service". */
export function parseHealthCheck(body: unknown, services: readonly string[]): void {
  const service = str(decodeBody(body), "service", "Service");
  if (service !== "" && !services.includes(service)) throw new GrpcError("NotFound", "unknown service");
}

// ---------------------------------------------------------------- dispatcher (dispatcher.go)

/** Session: the description is optional; one given is taken with the zero values it lacks. */
export function parseSession(body: unknown): RegisterRequest {
  const d = opt(decodeBody(body), "description", "Description", isObject);
  return { description: d && description(d) } as RegisterRequest;
}

function description(d: Fields): NodeDescription {
  const platform = sub(d, "platform", "Platform");
  const resources = sub(d, "resources", "Resources");
  const engine = sub(d, "engine", "Engine");
  const tls = opt(d, "tlsInfo", "TLSInfo", isObject);
  return {
    hostname: str(d, "hostname", "Hostname"),
    platform: { os: str(platform, "os", "OS"), architecture: str(platform, "architecture", "Architecture") },
    resources: {
      nanoCPUs: opt(resources, "nanoCPUs", "NanoCPUs", isUint) ?? 0,
      memoryBytes: opt(resources, "memoryBytes", "MemoryBytes", isUint) ?? 0,
    },
    engine: {
      engineVersion: str(engine, "engineVersion", "EngineVersion"),
      labels: stringMap(engine, "labels", "Labels") ?? {},
    },
    ...(tls && {
      tlsInfo: {
        certIssuerSubject: str(tls, "certIssuerSubject", "CertIssuerSubject"),
        certIssuerPublicKey: str(tls, "certIssuerPublicKey", "CertIssuerPublicKey"),
      },
    }),
  };
}

/** Heartbeat: the hot path, so a well-formed request costs one typeof and is passed on as is. */
export function parseHeartbeat(body: unknown): HeartbeatRequest {
  if (typeof (body as HeartbeatRequest | null)?.sessionId === "string") return body as HeartbeatRequest;
  return { sessionId: str(decodeBody(body), "sessionId", "SessionID") };
}

/**
 * UpdateTaskStatus: the reports, typed. One without a task or a state is skipped, as SwarmKit
 * skips a report with no status (and one naming no task finds none).
 */
export function parseTaskStatus(body: unknown): UpdateTaskStatusRequest {
  const m = decodeBody(body);
  const sessionId = str(m, "sessionId", "SessionID");
  const updates = opt(m, "updates", "Updates", Array.isArray) ?? [];
  let complete = typeof m.sessionId === "string" && updates === m.updates;
  for (const u of updates) {
    if (!isObject(u)) throw wrongType("Updates", u);
    str(u, "taskId", "TaskID");
    str(u, "message", "Message");
    opt(u, "state", "State", isUint);
    opt(u, "err", "Err", isString);
    opt(u, "containerId", "ContainerID", isString);
    opt(u, "exitCode", "ExitCode", isInt);
    opt(u, "ports", "PortStatus", isPortConfigs);
    if (!u.taskId || u.state === undefined || u.state === null || typeof u.message !== "string")
      complete = false;
  }
  if (complete) return m as unknown as UpdateTaskStatusRequest;
  const kept = (updates as Fields[])
    .filter((u) => u.taskId && isUint(u.state))
    .map((u) => ({ ...u, message: str(u, "message", "Message") }) as unknown as TaskStatusReport);
  return { sessionId, updates: kept };
}
