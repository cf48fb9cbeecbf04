// The cluster's objects, shaped after SwarmKit's api package (api/objects.proto, specs.proto,
// types.proto). Names are camelCase; durations are simulated milliseconds; times are
// simulated ms (sim.now()). Objects in the store are immutable (frozen by immer).

export type NodeRole = "worker" | "manager";
export type NodeAvailability = "active" | "pause" | "drain";
/** api NodeStatus.State, as Docker's API spells it. */
export type NodeState = "unknown" | "down" | "ready" | "disconnected";
export type Reachability = "unknown" | "unreachable" | "reachable";
export type IssuanceState = "pending" | "renew" | "issued" | "failed" | "rotate";

export interface Meta {
  /** Store version at the last write (SwarmKit's Meta.Version.Index). */
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface NodeSpec {
  name?: string;
  labels: Record<string, string>;
  desiredRole: NodeRole;
  availability: NodeAvailability;
}

export interface NodeDescription {
  hostname: string;
  platform: { os: string; architecture: string };
  resources: { nanoCPUs: number; memoryBytes: number };
  engine: { engineVersion: string; labels: Record<string, string> };
  tlsInfo?: { certIssuerSubject: string; certIssuerPublicKey: string };
}

export interface ManagerStatus {
  raftId: string;
  /** Advertise address with port, e.g. 10.0.0.2:2377. */
  addr: string;
  leader: boolean;
  reachability: Reachability;
}

export interface Node extends Meta {
  id: string;
  spec: NodeSpec;
  /** The role certificates are issued with (follows spec.desiredRole via the role manager). */
  role: NodeRole;
  description?: NodeDescription;
  status: { state: NodeState; message: string; addr: string };
  managerStatus?: ManagerStatus;
  certificate: { role: NodeRole; cn: string; state: IssuanceState; pem?: string };
}

/** api TaskState; the numbers are SwarmKit's, so states compare in order. */
export const TaskState = {
  NEW: 0,
  PENDING: 64,
  ASSIGNED: 192,
  ACCEPTED: 256,
  PREPARING: 320,
  READY: 384,
  STARTING: 448,
  RUNNING: 512,
  COMPLETE: 576,
  SHUTDOWN: 640,
  FAILED: 704,
  REJECTED: 768,
  REMOVE: 800,
  ORPHANED: 832,
} as const;
export type TaskState = (typeof TaskState)[keyof typeof TaskState];

const TASK_STATE_NAMES = new Map<number, string>(
  Object.entries(TaskState).map(([k, v]) => [v, k.toLowerCase()]),
);

/** Docker's lowercase name of a task state: "running", "shutdown", ... */
export function taskStateName(s: TaskState): string {
  return TASK_STATE_NAMES.get(s) ?? "unknown";
}

export type RestartCondition = "none" | "on-failure" | "any";

export interface RestartPolicy {
  condition: RestartCondition;
  delayMs: number;
  /** 0 means unlimited. */
  maxAttempts: number;
  /** 0 means unbounded. */
  windowMs: number;
}

export interface UpdateConfig {
  /** 0 means all at once. */
  parallelism: number;
  delayMs: number;
  failureAction: "pause" | "continue" | "rollback";
  monitorMs: number;
  maxFailureRatio: number;
  order: "stop-first" | "start-first";
}

export interface PortConfig {
  name?: string;
  protocol: "tcp" | "udp";
  targetPort: number;
  publishedPort?: number;
  publishMode: "ingress" | "host";
}

export interface ContainerSpec {
  image: string;
  env: string[];
  command?: string[];
  args?: string[];
  hostname?: string;
  stopGracePeriodMs: number;
  labels?: Record<string, string>;
}

export interface TaskSpec {
  container: ContainerSpec;
  resources: {
    reservations: { nanoCPUs: number; memoryBytes: number };
    limits: { nanoCPUs: number; memoryBytes: number };
  };
  restartPolicy: RestartPolicy;
  placement: { constraints: string[]; preferences: { spreadDescriptor: string }[]; maxReplicas: number };
  networks: { target: string; aliases?: string[] }[];
  /** Bumped by `docker service update --force` to make every slot dirty. */
  forceUpdate: number;
}

/**
 * api ServiceSpec.Mode. Jobs run their tasks to completion: a replicated job until
 * `totalCompletions` tasks have completed, at most `maxConcurrent` at a time; a global job once
 * on every eligible node.
 */
export type ServiceMode =
  | { kind: "replicated"; replicas: number }
  | { kind: "global" }
  | { kind: "replicated-job"; maxConcurrent: number; totalCompletions: number }
  | { kind: "global-job" };

export type ServiceModeKind = ServiceMode["kind"];

/** A job service (replicated-job or global-job). */
export function isJobMode(mode: ServiceMode): boolean {
  return mode.kind === "replicated-job" || mode.kind === "global-job";
}

/** Services whose tasks fill numbered slots (replicated, replicated-job); the others use a node each. */
export function isSlotMode(mode: ServiceMode): boolean {
  return mode.kind === "replicated" || mode.kind === "replicated-job";
}

export interface ServiceSpec {
  name: string;
  labels: Record<string, string>;
  task: TaskSpec;
  mode: ServiceMode;
  update: UpdateConfig;
  rollback: UpdateConfig;
  endpoint: { mode: "vip" | "dnsrr"; ports: PortConfig[] };
}

export type UpdateState =
  | "updating"
  | "paused"
  | "completed"
  | "rollback_started"
  | "rollback_paused"
  | "rollback_completed";

export interface Service extends Meta {
  id: string;
  spec: ServiceSpec;
  previousSpec?: ServiceSpec;
  /** Bumped on every spec change; tasks remember the version they were made from. */
  specVersion: number;
  endpoint?: {
    ports: PortConfig[];
    virtualIPs: { networkId: string; addr: string }[];
  };
  updateStatus?: { state: UpdateState; startedAt?: number; completedAt?: number; message: string };
  /**
   * Jobs only (api JobStatus): the iteration the job runs now (every update of the service
   * starts a new one: `docker service update --force` re-runs a job) and when it started.
   */
  jobStatus?: { jobIteration: number; lastExecution: number };
}

export interface Task extends Meta {
  id: string;
  serviceId: string;
  serviceName: string;
  /** 1..N for replicated services; 0 for global ones (which use nodeId instead). */
  slot: number;
  /** Empty until the scheduler assigns one (global tasks are created with it). */
  nodeId: string;
  spec: TaskSpec;
  specVersion: number;
  /** Jobs only: the job iteration this task belongs to (Service.jobStatus.jobIteration). */
  jobIteration?: number;
  desiredState: TaskState;
  status: {
    state: TaskState;
    timestamp: number;
    message: string;
    err?: string;
    containerId?: string;
    exitCode?: number;
    /** Host-mode published ports on the node. */
    ports?: PortConfig[];
  };
  networks: { networkId: string; addresses: string[] }[];
  endpoint?: { ports: PortConfig[] };
}

export interface NetworkSpec {
  name: string;
  driver: "overlay";
  labels: Record<string, string>;
  attachable: boolean;
  ingress: boolean;
  ipam: { subnet: string };
}

export interface Network extends Meta {
  id: string;
  spec: NetworkSpec;
}

export interface JoinTokens {
  worker: string;
  manager: string;
}

export interface ClusterSpec {
  name: "default";
  orchestration: { taskHistoryRetentionLimit: number };
  raft: {
    snapshotInterval: number;
    keepOldSnapshots: number;
    logEntriesForSlowFollowers: number;
    heartbeatTick: number;
    electionTick: number;
  };
  dispatcher: { heartbeatPeriodMs: number };
  caConfig: { nodeCertExpiryMs: number; forceRotate: number };
  encryptionConfig: { autoLockManagers: boolean };
}

export interface Cluster extends Meta {
  id: string;
  spec: ClusterSpec;
  rootCA: {
    caCertPem: string;
    /** Kept in the replicated store so any manager can sign (as SwarmKit does). */
    caKeyPem: string;
    caCertHash: string;
    joinTokens: JoinTokens;
    lastForcedRotation: number;
    rootRotation?: { caCertPem: string; caKeyPem: string; crossSignedCACertPem: string };
  };
  /** The autolock key (KEK), human-readable form; empty when autolock is off. */
  unlockKey: string;
  /** Network bootstrap keys (the key manager's key ring), opaque to the store. */
  networkBootstrapKeys: unknown;
  /** Removed nodes' IDs, with the expiry of their certificate. */
  blacklistedCertificates: Record<string, number>;
}

export type ObjectType = "node" | "service" | "task" | "network" | "cluster";

export interface ObjectOf {
  node: Node;
  service: Service;
  task: Task;
  network: Network;
  cluster: Cluster;
}

export type AnyObject = ObjectOf[ObjectType];
