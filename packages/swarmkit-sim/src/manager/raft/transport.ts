// How raft messages travel between members: a small interface with two implementations, the
// kernel network (kernel-transport.ts, for tests of raft alone) and the managers' mutually
// authenticated RPC (rpc-transport.ts, what managers run). Members are addressed by their
// advertise address ("host:port"); the host keeps the table from raft IDs to addresses.
import type { RaftWireMessage } from "../../api/raft";
import type { GrpcError } from "../../transport/grpc-error";

/** Where a raft message really came from, as the transport saw it. */
export interface MessageSource {
  /** The address it was sent from. */
  host: string;
  /** The node its certificate names (only an authenticated transport knows it). */
  nodeId?: string;
}

/**
 * What the member answers a message with: null when accepted or quietly dropped, or an error
 * for the sender (SwarmKit's ProcessRaftMessage: a removed member is told so).
 */
export type RaftDeliver = (wire: RaftWireMessage, source: MessageSource) => GrpcError | null;

export interface RaftTransport {
  /**
   * Starts handing incoming raft messages to `deliver` (one listener at a time). `removed` is
   * called when a peer answers that this member was removed from the cluster (SwarmKit's
   * transport calls NodeRemoved then): a member that missed its own removal learns it so.
   */
  listen(deliver: RaftDeliver, removed?: () => void): void;
  /** Sends one message to the member at `addr` ("host:port"); no answer is awaited. */
  send(addr: string, wire: RaftWireMessage): void;
  /** Stops listening and sending (the member stopped). */
  close(): void;
}
