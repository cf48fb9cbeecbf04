// The RPC methods managers serve, by SwarmKit's "Service.Method" names: what agents, joining
// nodes, other managers and the local docker CLI call. Who may call which is the CA's
// authorization table (ca/methods.ts, SwarmKit's .proto tls_authorization options).

/** The CA (ca.proto): the root to anyone, node certificates for a join token or a renewal. */
export const CA_METHODS = {
  getRootCA: "CA.GetRootCACertificate",
  issue: "NodeCA.IssueNodeCertificate",
  status: "NodeCA.NodeCertificateStatus",
} as const;

/** The control API (control.proto), and the CA's GetUnlockKey that the CLI reaches with it. */
export const CONTROL = {
  listNodes: "Control.ListNodes",
  getNode: "Control.GetNode",
  updateNode: "Control.UpdateNode",
  removeNode: "Control.RemoveNode",
  getCluster: "Control.GetCluster",
  updateCluster: "Control.UpdateCluster",
  listTasks: "Control.ListTasks",
  createService: "Control.CreateService",
  updateService: "Control.UpdateService",
  removeService: "Control.RemoveService",
  createNetwork: "Control.CreateNetwork",
  removeNetwork: "Control.RemoveNetwork",
  getUnlockKey: "CA.GetUnlockKey",
} as const;

/** The dispatcher (dispatcher.proto): an agent's session, heartbeats and task reports. */
export const DISPATCHER = {
  register: "Dispatcher.Session",
  heartbeat: "Dispatcher.Heartbeat",
  updateTaskStatus: "Dispatcher.UpdateTaskStatus",
} as const;

export const RAFT_MEMBERSHIP = {
  join: "RaftMembership.Join",
  leave: "RaftMembership.Leave",
} as const;

/** Raft messages between managers (SwarmKit's Raft.ProcessRaftMessage). */
export const RAFT_MESSAGE = "Raft.ProcessRaftMessage";

/** gRPC's health service, which SwarmKit's managers serve (health.proto). */
export const HEALTH_CHECK = "Health.Check";
