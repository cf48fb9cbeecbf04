// Raft messages over the managers' mutually authenticated RPC, as SwarmKit sends them
// (RaftTransport, ProcessRaftMessage): one connection per peer address, each message a one-way
// call that raft itself retransmits if lost. The manager's RPC server hands incoming messages
// to receive() once it has checked the caller's certificate (managers only) and the message's
// shape; the answer to the caller is what the member returns.
import type { RaftWireMessage } from "../../api/raft";
import type { Machine } from "../../kernel/machine";
import { type ClientSecurity, RpcClient } from "../../transport/rpc-client";
import type { GrpcError } from "../../transport/grpc-error";
import { splitAddr } from "../../api/address";
import { ErrMemberRemoved } from "./errors";
import type { MessageSource, RaftDeliver, RaftTransport } from "./transport";

/** How long a vote request waits for its answer (only the "removed" answer matters). */
const VOTE_TIMEOUT_MS = 2000;

export class RpcRaftTransport implements RaftTransport {
  private readonly clients = new Map<string, RpcClient>();
  private deliver: RaftDeliver | null = null;

  constructor(
    private readonly machine: Machine,
    private readonly security: ClientSecurity,
    /** The RPC method raft messages travel as (the manager's RAFT_MESSAGE). */
    private readonly method: string,
  ) {}

  private removed: (() => void) | null = null;

  listen(deliver: RaftDeliver, removed?: () => void): void {
    this.deliver = deliver;
    this.removed = removed ?? null;
  }

  /** A message the manager's server accepted; null when no member listens (yet, or any more). */
  receive(wire: RaftWireMessage, source: MessageSource): GrpcError | null {
    return this.deliver ? this.deliver(wire, source) : null;
  }

  send(addr: string, wire: RaftWireMessage): void {
    let c = this.clients.get(addr);
    if (!c) {
      const [address, port] = splitAddr(addr);
      c = new RpcClient(this.machine, { address, port }, this.security);
      this.clients.set(addr, c);
    }
    // Vote requests wait for the answer (SwarmKit's are unary calls, every message is): a peer
    // that says this member was removed makes it stop (transport/peer.go NodeRemoved). A member
    // that missed its own removal, cut off when it was committed, campaigns sooner or later.
    // The other messages go one way (raft retransmits them), which keeps the load down.
    if (wire.msg.type === "MsgVote" || wire.msg.type === "MsgPreVote")
      c.call(this.method, wire, VOTE_TIMEOUT_MS, (err) => {
        if (err?.code === "NotFound" && err.desc === ErrMemberRemoved) this.removed?.();
      });
    else c.cast(this.method, wire);
  }

  /** New connections everywhere (after this manager's certificate changed). */
  reconnectAll(): void {
    for (const c of this.clients.values()) c.reconnect();
  }

  close(): void {
    this.deliver = null;
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}
