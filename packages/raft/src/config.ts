// Configuration of one Raft node, with SwarmKit's defaults (SwarmKit DefaultRaftConfig and
// DefaultNodeConfig, see shared/reference/SWARMKIT.md §3.1).
import type { NodeId, PersistentState } from "./types";

/** Where election timeouts come from: any source of uniform numbers in [0, 1). */
export interface RandomSource {
  next(): number;
}

/** SwarmKit's raft settings. The last two are host policies (when to snapshot, what to keep). */
export const SWARMKIT_DEFAULTS = Object.freeze({
  electionTick: 10,
  heartbeatTick: 1,
  checkQuorum: true,
  preVote: false,
  maxInflightMsgs: 256,
  snapshotInterval: 10_000,
  logEntriesForSlowFollowers: 500,
  /** Simulated milliseconds per tick (SwarmKit's TickInterval, 1 s). */
  tickIntervalMs: 1000,
});

/** A founding member, with what its bootstrap entry's ConfChange carries (etcd's raft.Peer). */
export interface Peer {
  id: NodeId;
  context?: unknown;
}

export interface RaftConfig {
  /** This node's ID (non-zero). */
  id: NodeId;
  /** Where randomized election timeouts come from. */
  random: RandomSource;
  /**
   * A brand-new cluster's voters. When given and `storage` is empty, the log is bootstrapped
   * with one committed "addNode" entry per peer (as etcd's Bootstrap does), so that members
   * that join later learn the initial membership from the log. A peer given as `{ id, context }`
   * puts `context` in its entry's ConfChange (SwarmKit puts the member's address there).
   */
  peers?: (NodeId | Peer)[];
  /** State recovered from stable storage on restart. */
  storage?: PersistentState;
  /** Ticks without hearing from a leader before campaigning; randomized to [e, 2e). Default 10. */
  electionTick?: number;
  /** Ticks between leader heartbeats. Default 1. */
  heartbeatTick?: number;
  /** Leader steps down if it cannot hear a quorum for an election timeout. Default true. */
  checkQuorum?: boolean;
  /** Run a pre-election before bumping the term. Default false (as in SwarmKit). */
  preVote?: boolean;
  /** Max append messages in flight per follower in replicate state. Default 256. */
  maxInflightMsgs?: number;
  /** Max entries per append message (entry data is opaque, so we limit by count). Default 64. */
  maxEntriesPerMsg?: number;
  /**
   * Deliberately broken behaviours, used only by tests that prove the checkers catch them.
   * Never set these outside such tests.
   */
  bugs?: RaftBugs;
}

export interface RaftBugs {
  /** Commit any entry replicated on a quorum, ignoring the Figure 8 rule (current-term only). */
  commitPreviousTermByCount?: boolean;
  /**
   * A leader that applies its own removal steps down at once, without handing over (the
   * self-removal stall: see self-membership.ts), and a restarted removed node never campaigns.
   */
  skipRemovalHandover?: boolean;
}

export interface ResolvedConfig {
  id: NodeId;
  random: RandomSource;
  electionTick: number;
  heartbeatTick: number;
  checkQuorum: boolean;
  preVote: boolean;
  maxInflightMsgs: number;
  maxEntriesPerMsg: number;
  bugs: RaftBugs;
}

export function resolveConfig(c: RaftConfig): ResolvedConfig {
  const r: ResolvedConfig = {
    id: c.id,
    random: c.random,
    electionTick: c.electionTick ?? SWARMKIT_DEFAULTS.electionTick,
    heartbeatTick: c.heartbeatTick ?? SWARMKIT_DEFAULTS.heartbeatTick,
    checkQuorum: c.checkQuorum ?? SWARMKIT_DEFAULTS.checkQuorum,
    preVote: c.preVote ?? SWARMKIT_DEFAULTS.preVote,
    maxInflightMsgs: c.maxInflightMsgs ?? SWARMKIT_DEFAULTS.maxInflightMsgs,
    maxEntriesPerMsg: c.maxEntriesPerMsg ?? 64,
    bugs: c.bugs ?? {},
  };
  if (!(r.id > 0)) throw new Error("raft: cannot use none as id");
  if (!(r.heartbeatTick > 0)) throw new Error("raft: heartbeat tick must be greater than 0");
  if (!(r.electionTick > r.heartbeatTick))
    throw new Error("raft: election tick must be greater than heartbeat tick");
  if (!(r.maxInflightMsgs > 0)) throw new Error("raft: max inflight messages must be greater than 0");
  if (!(r.maxEntriesPerMsg > 0)) throw new Error("raft: max entries per message must be greater than 0");
  return r;
}
