// The messages of the RPC protocol on the kernel network. A connection is a handshake in the
// shape of TLS 1.3 (handshake.ts): hello, shello, fin. The server remembers the connection
// under the kernel source the handshake came from (machine, address, port: what the kernel
// knows, not what the sender writes) with the connection's binder; a request is served only
// from that source and with that binder. `c` is the client's number for its connection: the
// server echoes it so the client can tell answers to an old handshake from the current one,
// and never uses it to find a connection.
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
  /** ClientHello: the client's nonce and key share. */
  | { t: "hello"; c: number; n: Uint8Array; k: Uint8Array }
  /**
   * ServerHello + Certificate + CertificateVerify: the server's nonce, key share, chain and its
   * signature over the transcript; or `e`, the server's refusal (it has no certificate).
   */
  | {
      t: "shello";
      c: number;
      /** The server's number for the connection (0 with `e`): requests carry it as `s`. */
      sc: number;
      n: Uint8Array;
      k: Uint8Array;
      chain: CertChain;
      sig: Uint8Array | null;
      e?: WireError;
    }
  /** The client's Certificate + CertificateVerify (none without a certificate) + Finished (the binder). */
  | { t: "fin"; c: number; chain: CertChain; sig: Uint8Array | null; k: string }
  /** The server refused the client's part of the handshake: the connection is closed. */
  | { t: "alert"; c: number; e: WireError }
  /**
   * A call (id > 0) or a one-way message (id 0), with the connection's binder and the server's
   * number for the connection (`s`: it finds the entry at once; the source and binder decide).
   */
  | { t: "req"; c: number; s: number; k: string; id: number; m: string; b: unknown; fwd?: Forwarded }
  | { t: "res"; id: number; b: unknown; e: WireError | undefined }
  /** The server does not know the connection (it restarted): handshake again and resend. */
  | { t: "reset"; id: number; b: undefined; e: undefined }
  /**
   * A server-initiated message on a connection (the dispatcher's session stream); `s` names
   * the proxied stream it belongs to when the connection is a follower's.
   */
  | { t: "push"; c: number; b: unknown; s: number };

// What a server sends on the hot path, built in one shape per kind: a reading site of the
// client then sees few hidden classes (an answer with `b` and one with `e`, or a push with and
// without `s`, were two each, and with the handshake's messages a site saw more than V8 keeps
// apart: its loads went megamorphic on every heartbeat).

/** A call's answer: its body, or its error. */
export function answer(id: number, b: unknown, e: WireError | undefined): Wire {
  return { t: "res", id, b, e };
}

/** The server does not know the connection: the client handshakes again and resends. */
export function resetAnswer(id: number): Wire {
  return { t: "reset", id, b: undefined, e: undefined };
}

/** A server push on connection `c` (`s`: the proxied stream, 0 for the connection's own). */
export function push(c: number, b: unknown, s: number): Wire {
  return { t: "push", c, b, s };
}

/** The message as a Wire if it has a known tag (anything may arrive on a port), else null. */
export function asWire(payload: unknown): Wire | null {
  if (typeof payload !== "object" || payload === null) return null;
  const t = (payload as { t?: unknown }).t;
  return typeof t === "string" ? (payload as Wire) : null;
}
