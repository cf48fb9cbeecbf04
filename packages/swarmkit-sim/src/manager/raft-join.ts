// How a manager without raft data gets into the cluster (SwarmKit raft.go JoinAndStart): it
// asks a manager it knows to add it (RaftMembership.Join, which the leader serves), trying the
// managers in turn every second until one answers, and meanwhile answers health checks on its
// swarm port, for the leader to check that it can reach the address it advertises (manager
// health.ts). The answer holds the member's raft ID and the members to start raft with.
import { splitAddr } from "../api/address";
import { RAFT_MEMBERSHIP } from "../api/methods";
import type { Machine } from "../kernel/machine";
import type { GrpcError } from "../transport/grpc-error";
import type { Credentials } from "../transport/identity";
import { type ClientSecurity, RpcClient } from "../transport/rpc-client";
import type { RpcServer } from "../transport/rpc-server";
import type { RaftMemberInfo } from "./consensus";
import { ERR_HEALTH_CHECK_FAILURE, startJoinHealthServer } from "./health";

/** RaftMembership.Join's answer. */
export interface RaftJoinResponse {
  raftId: number;
  members: RaftMemberInfo[];
}

export interface RaftJoinOptions {
  machine: Machine;
  /** The port the manager will listen on (the health server answers there meanwhile). */
  listenPort: number;
  /** Where the manager says it is (host:port). */
  advertiseAddr: string;
  clusterId: string;
  epochMs: number;
  tls: { credentials(): Credentials | null; trustRoots(): string[] };
  clientSecurity: ClientSecurity;
  /** The deadline of one Join call. */
  timeoutMs: number;
  /** The managers to ask, best first (read again on every attempt). */
  candidates(): string[];
  /** Whether the join is still wanted (the node still a manager with no manager running). */
  wanted(): boolean;
  /** Whether the node is still in the run that started the join (else its answer is dropped). */
  sameRun(): boolean;
  /** The join is over: joined, given up, or no longer wanted. */
  ended(): void;
  /** A manager added us. */
  joined(res: RaftJoinResponse): void;
  /**
   * `docker swarm join`: the leader could not reach us at our advertised address; give up
   * (without it, the join goes on: a promoted node keeps trying).
   */
  unreachable?: (err: GrpcError) => void;
}

export class RaftJoin {
  private attempt = 0;
  private readonly health: RpcServer;

  /** Starts answering health checks; `start()` sends the first request. */
  constructor(private readonly o: RaftJoinOptions) {
    this.health = startJoinHealthServer(o.machine, o.listenPort, o.tls, o.clusterId, o.epochMs);
  }

  start(): void {
    this.tryJoin();
  }

  private tryJoin(): void {
    const o = this.o;
    if (!o.wanted()) {
      this.finish();
      return;
    }
    const candidates = o.candidates();
    const target = candidates[this.attempt++ % Math.max(1, candidates.length)];
    if (!target) {
      o.machine.after(1000, () => this.tryJoin());
      return;
    }
    const [host, port] = splitAddr(target);
    const c = new RpcClient(o.machine, { address: host, port }, o.clientSecurity);
    c.call(RAFT_MEMBERSHIP.join, { addr: o.advertiseAddr }, o.timeoutMs, (err, res: RaftJoinResponse) => {
      c.close();
      if (!o.sameRun()) return this.health.stop();
      if (err?.desc.startsWith(ERR_HEALTH_CHECK_FAILURE) && o.unreachable) {
        this.finish();
        return o.unreachable(err);
      }
      if (err || !res) {
        o.machine.after(1000, () => this.tryJoin());
        return;
      }
      this.finish();
      o.joined(res);
    });
  }

  private finish(): void {
    this.health.stop();
    this.o.ended();
  }
}
