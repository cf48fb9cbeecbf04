// Followers forward requests to the leader (SwarmKit's raft proxies, §3.3): a call is served
// here when this manager leads, otherwise sent over a connection to the leader with the
// caller's identity attached. With no leader, the call waits (re-checking every second) until
// its deadline, except that after 10 ticks without a leader it fails at once with SwarmKit's
// "does not have a leader" error. A stream (an agent's dispatcher session through a follower)
// is forwarded the same way and then relays the leader's pushes for as long as the connection
// it was opened on lasts.
import { splitAddr } from "../api/address";
import { LOCAL_CLOCK_EPSILON_MS, type Machine } from "../kernel/machine";
import { GrpcError } from "../transport/grpc-error";
import { RpcClient, type ClientSecurity } from "../transport/rpc-client";
import type { ServerCall } from "../transport/rpc-server";
import type { Forwarded } from "../transport/wire";
import { ProxiedStreams, type StreamRelay } from "./proxied-streams";

export const NO_LEADER =
  "The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.";
/** lostQuorumTimeout: ticks without a leader before calls fail fast. */
export const LOST_QUORUM_TICKS = 10;
/** dockerd's swarmRequestTimeout, the budget of a forwarded call. */
export const FORWARD_TIMEOUT_MS = 20_000;
const LEADER_POLL_MS = 1000;

export interface LeaderView {
  isLeader(): boolean;
  /** The leader's address (host:port), or "" when there is none. */
  leaderAddr(): string;
  /** Simulated ms since which there has been no leader (undefined while there is one). */
  leaderlessSince(): number | undefined;
  tickMs(): number;
}

export class LeaderRouter {
  private readonly clients = new Map<string, RpcClient>();
  private readonly streams = new ProxiedStreams();

  constructor(
    private readonly machine: Machine,
    private readonly view: LeaderView,
    private readonly security: ClientSecurity,
  ) {}

  /** Serves `call` locally if this manager leads, else forwards it to the leader. */
  route(
    method: string,
    req: unknown,
    call: ServerCall,
    serve: () => void,
    deadline = this.machine.localNow() + FORWARD_TIMEOUT_MS,
    relay: StreamRelay | null = null,
  ): void {
    if (this.view.isLeader()) {
      try {
        serve();
      } catch (e) {
        call.fail(
          e instanceof GrpcError ? e : new GrpcError("Unknown", e instanceof Error ? e.message : String(e)),
        );
      }
      return;
    }
    const addr = this.view.leaderAddr();
    if (!addr) {
      const since = this.view.leaderlessSince();
      if (since !== undefined && this.machine.sim.now() - since > LOST_QUORUM_TICKS * this.view.tickMs()) {
        call.fail(new GrpcError("Unknown", NO_LEADER));
        return;
      }
      const left = deadline - this.machine.localNow();
      if (left <= LOCAL_CLOCK_EPSILON_MS) {
        call.fail(new GrpcError("DeadlineExceeded", "context deadline exceeded"));
        return;
      }
      this.machine.after(Math.min(LEADER_POLL_MS, left), () =>
        this.route(method, req, call, serve, deadline, relay),
      );
      return;
    }
    const left = Math.max(1, deadline - this.machine.localNow());
    const stream = relay ? this.streams.open(addr, call.peer?.nodeId ?? "", relay) : 0;
    const fwd: Forwarded = stream
      ? { peer: call.peer, addr: call.fromAddress, stream }
      : { peer: call.peer, addr: call.fromAddress };
    this.client(addr).call(
      method,
      req,
      left,
      (err, res) => {
        if (err) {
          if (stream) this.streams.forget(stream);
          call.fail(err);
        } else call.reply(res);
      },
      fwd,
    );
  }

  /**
   * Opens a stream on the leader (SwarmKit proxies the dispatcher's Session stream): served
   * here when this manager leads, else forwarded with the caller's identity, its answer
   * relayed as the call's answer and the leader's later pushes to `relay`.
   */
  openStream(
    method: string,
    req: unknown,
    call: ServerCall,
    serve: () => void,
    relay: StreamRelay,
    timeoutMs: number,
  ): void {
    this.route(method, req, call, serve, this.machine.localNow() + timeoutMs, relay);
  }

  private client(addr: string): RpcClient {
    let c = this.clients.get(addr);
    if (!c) {
      const [host, port] = splitAddr(addr);
      c = new RpcClient(this.machine, { address: host, port }, this.security);
      c.onPush = (body, stream) => this.streams.deliver(addr, stream, body);
      this.clients.set(addr, c);
    }
    return c;
  }

  /** New connections everywhere (after this manager's certificate changed). */
  reconnectAll(): void {
    // The streams lived on the old connections.
    this.streams.endAll();
    for (const c of this.clients.values()) c.reconnect();
  }

  close(): void {
    this.streams.endAll();
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}
