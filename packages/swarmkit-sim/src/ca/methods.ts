// Which roles may call which manager gRPC method: the `tls_authorization` option of each
// method in SwarmKit's api/*.proto files, as data. Roles are listed in the proto's order,
// because the denial message prints them (`[swarm-worker swarm-manager]`).
import { type CertRole, MANAGER_ROLE, WORKER_ROLE } from "./constants";

export type MethodAuthorization =
  | { readonly insecure: true }
  | { readonly insecure: false; readonly roles: readonly CertRole[] };

const INSECURE: MethodAuthorization = Object.freeze({ insecure: true });
const MANAGERS: MethodAuthorization = Object.freeze({
  insecure: false,
  roles: Object.freeze([MANAGER_ROLE] as CertRole[]),
});
const NODES: MethodAuthorization = Object.freeze({
  insecure: false,
  roles: Object.freeze([WORKER_ROLE, MANAGER_ROLE] as CertRole[]),
});

const CONTROL_METHODS = [
  "GetNode",
  "ListNodes",
  "UpdateNode",
  "RemoveNode",
  "GetTask",
  "ListTasks",
  "RemoveTask",
  "GetService",
  "ListServices",
  "CreateService",
  "UpdateService",
  "RemoveService",
  "ListServiceStatuses",
  "GetNetwork",
  "ListNetworks",
  "CreateNetwork",
  "RemoveNetwork",
  "GetCluster",
  "ListClusters",
  "UpdateCluster",
  "GetSecret",
  "UpdateSecret",
  "ListSecrets",
  "CreateSecret",
  "RemoveSecret",
  "GetConfig",
  "UpdateConfig",
  "ListConfigs",
  "CreateConfig",
  "RemoveConfig",
  "GetExtension",
  "CreateExtension",
  "RemoveExtension",
  "GetResource",
  "UpdateResource",
  "ListResources",
  "CreateResource",
  "RemoveResource",
  "CreateVolume",
  "GetVolume",
  "UpdateVolume",
  "ListVolumes",
  "RemoveVolume",
];

/** "Service.Method" -> authorization. */
export const METHOD_AUTHORIZATION: Readonly<Record<string, MethodAuthorization>> = Object.freeze({
  "CA.GetRootCACertificate": INSECURE,
  "CA.GetUnlockKey": MANAGERS,
  "NodeCA.IssueNodeCertificate": INSECURE,
  "NodeCA.NodeCertificateStatus": INSECURE,
  ...Object.fromEntries(CONTROL_METHODS.map((m) => [`Control.${m}`, MANAGERS])),
  "Dispatcher.Session": NODES,
  "Dispatcher.Heartbeat": NODES,
  "Dispatcher.UpdateTaskStatus": NODES,
  "Dispatcher.UpdateVolumeStatus": NODES,
  "Dispatcher.Tasks": NODES,
  "Dispatcher.Assignments": NODES,
  "Health.Check": MANAGERS,
  "Logs.SubscribeLogs": MANAGERS,
  "LogBroker.ListenSubscriptions": NODES,
  "LogBroker.PublishLogs": NODES,
  "Raft.ProcessRaftMessage": MANAGERS,
  "Raft.StreamRaftMessage": MANAGERS,
  "Raft.ResolveAddress": MANAGERS,
  "RaftMembership.Join": MANAGERS,
  "RaftMembership.Leave": MANAGERS,
  "ResourceAllocator.AttachNetwork": NODES,
  "ResourceAllocator.DetachNetwork": NODES,
  "Watch.Watch": MANAGERS,
});

/** The authorization of a method; throws for a method SwarmKit does not serve. */
export function methodAuthorization(method: string): MethodAuthorization {
  const a = METHOD_AUTHORIZATION[method];
  if (!a) throw new Error(`unknown method: ${method}`);
  return a;
}
