// Following a member's new address, as SwarmKit does (swarmkit#1579). A manager restarted with
// another IP still knows its peers, so its messages arrive from the new address while ours go to
// the old one and get nowhere. When what we send a member goes unanswered, and its messages
// (authenticated as that member's node) come from another host that passes a health check, that
// host is its address now. The leader, which hears an answer to its heartbeats from every member
// each tick, does it and writes the address to raft (ConfChangeUpdateNode), so that every
// member, and every agent's manager list, follows.
import type { NodeId } from "@swarm-sim/raft";
import type { RaftMemberInfo } from "../../api/raft";
import type { PeerActivity } from "./activity";
import type { MemberTable } from "./members";
import { splitAddr } from "../../api/address";
import type { MessageSource } from "./transport";

export type HealthCheck = (addr: string, done: (err: Error | null) => void) => void;

export class AddressFollower {
  /** Members whose messages come from another host than the address they are known by. */
  private readonly observed = new Map<NodeId, string>();
  /** Members whose observed host is being health-checked. */
  private readonly checking = new Set<NodeId>();

  constructor(
    private readonly members: MemberTable,
    private readonly activity: PeerActivity,
    private readonly healthCheck: HealthCheck,
    /** How long a member must have been silent before we look for it elsewhere. */
    private readonly silenceMs: number,
    private readonly now: () => number,
  ) {}

  /** A message from member `raftId` came from `source`. */
  observe(raftId: NodeId, source: MessageSource): void {
    const known = this.members.get(raftId);
    if (!known || source.nodeId === undefined || known.nodeId !== source.nodeId) return;
    if (splitAddr(known.addr)[0] !== source.host) this.observed.set(raftId, source.host);
    else this.observed.delete(raftId);
  }

  /**
   * Health-checks the observed host of every member that has gone silent; `found` gets each
   * member whose new address answered (the caller writes it to raft).
   */
  check(found: (info: RaftMemberInfo, from: string) => void): void {
    const silentSince = this.now() - this.silenceMs;
    for (const [raftId, host] of this.observed) {
      const m = this.members.get(raftId);
      if (!m || this.checking.has(raftId) || this.activity.answeredSince(raftId, silentSince)) continue;
      const addr = `${host}:${splitAddr(m.addr)[1]}`;
      this.checking.add(raftId);
      this.healthCheck(addr, (err) => {
        this.checking.delete(raftId);
        const cur = this.members.get(raftId);
        if (err || !cur || cur.addr === addr) return;
        this.observed.delete(raftId);
        found({ ...cur, addr }, cur.addr);
      });
    }
  }
}
