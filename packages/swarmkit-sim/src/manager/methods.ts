// The RPC methods a manager serves, with who may call them (SwarmKit's .proto authorization
// options, SWARMKIT.md §2.3).
export const CONTROL = {
  listNodes: "Control.ListNodes",
  getNode: "Control.GetNode",
  updateNode: "Control.UpdateNode",
  removeNode: "Control.RemoveNode",
  getCluster: "Control.GetCluster",
  updateCluster: "Control.UpdateCluster",
  listTasks: "Control.ListTasks",
  getUnlockKey: "CA.GetUnlockKey",
} as const;

export const RAFT_MEMBERSHIP = {
  join: "RaftMembership.Join",
  leave: "RaftMembership.Leave",
} as const;

/** A store transaction a follower hands to the leader (the raft-backed proposer's forwarding). */
export const STORE_PROPOSE = "Store.Propose";

/** Raft messages between managers (SwarmKit's Raft.ProcessRaftMessage). */
export const RAFT_MESSAGE = "Raft.ProcessRaftMessage";
