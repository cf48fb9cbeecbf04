// The messages of the RPC protocol on the kernel network. A "connection" is a handshake that
// the server remembers under the client's connection id: the certificate is verified once,
// there, as TLS does; requests on the connection carry only the id.
import type { WireError } from "./grpc-error";
import type { CertChain, PeerIdentity } from "./identity";

/** A call a follower forwards to the leader: the original caller's identity and address. */
export interface Forwarded {
  peer: PeerIdentity | null;
  addr: string;
  /**
   * A proxied stream (a dispatcher session opened through a follower): the follower's number
   * for it. The leader's pushes for the session go down the follower's connection with it.
   */
  stream?: number;
}

export type Wire =
  | { t: "hello"; c: number; chain: CertChain }
  | { t: "ack"; c: number; chain: CertChain; e?: WireError }
  | { t: "req"; c: number; id: number; m: string; b: unknown; fwd?: Forwarded }
  | { t: "res"; id: number; b?: unknown; e?: WireError }
  /** The server does not know the connection (it restarted): handshake again and resend. */
  | { t: "reset"; id: number }
  /**
   * A server-initiated message on a connection (the dispatcher's session stream); `s` names
   * the proxied stream it belongs to when the connection is a follower's.
   */
  | { t: "push"; c: number; b: unknown; s?: number };
