// What managers say to one another about Raft (SwarmKit's api/raft.proto): a raft message on
// the wire, with the advertise address of its sender (ProcessRaftMessageRequest), and a member
// of the raft cluster as the join answer and snapshots carry it (RaftMember).
import type { Message } from "@swarm-sim/raft";

/** A raft message on the wire, with the advertise address ("host:port") of its sender. */
export interface RaftWireMessage {
  msg: Message;
  from: string;
}

export interface RaftMemberInfo {
  /** The raft member ID (a random number, shown in hex). */
  raftId: number;
  nodeId: string;
  /** Advertise address with port, e.g. 10.0.0.2:2377. */
  addr: string;
}
