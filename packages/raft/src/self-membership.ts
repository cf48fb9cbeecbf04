// A node's own place in the cluster, and the hand-over of a member that was removed.
//
// The stall this prevents: two voters; leader 1 applies its own removal, and the message that
// would tell node 2 the removal is committed is lost. Node 2 still counts voters {1, 2} and needs
// node 1's vote, which node 1 must refuse if its log is longer; and node 1, no longer a member,
// would never campaign. So a leader that applies its own removal does not step down at once: it
// keeps leading the remaining voters (refusing proposals, reads and transfers), or campaigns
// among them again if it loses leadership, until a quorum of them has told it (in the `commit`
// of any message they send it) that they committed its removal. Those voters now count the new
// membership and can elect a leader without it. Only then is it "removed", and may stop.
//
// A node restarted from a log in which it removed itself cannot know whether that hand-over
// finished, so it hands over again (the voters' answers settle it at once if it had).
import type { NodeId } from "./types";

export type MembershipState =
  /** Not (yet) among the voters: a node waiting for its addition, or one never added. */
  | "nonVoter"
  | "voter"
  /** Applied its own removal; leads or campaigns until a quorum of the voters committed it. */
  | "handingOver"
  /** Applied its own removal, and the remaining voters know it: the host may stop it. */
  | "removed";

const ALLOWED: Record<MembershipState, readonly MembershipState[]> = {
  nonVoter: ["voter"],
  voter: ["handingOver", "removed"],
  handingOver: ["removed", "voter"],
  removed: ["voter"],
};

export class SelfMembership {
  private current: MembershipState = "nonVoter";
  /** While handing over: the index of the entry that removed this node. */
  private removalIndex = 0;
  /** While handing over: the voters known to have committed that entry. */
  private readonly told = new Set<NodeId>();

  get state(): MembershipState {
    return this.current;
  }

  /** May this node campaign? A voter may; so may a node handing over (see above). */
  mayCampaign(): boolean {
    return this.current === "voter" || this.current === "handingOver";
  }

  to(next: MembershipState, removalIndex = 0): void {
    if (next === this.current) return;
    if (!ALLOWED[this.current].includes(next))
      throw new Error(`raft: invalid membership transition [${this.current} -> ${next}]`);
    this.current = next;
    this.removalIndex = next === "handingOver" ? removalIndex : 0;
    this.told.clear();
  }

  /**
   * A message from `from` says its sender has committed up to `commit`. Returns true when, with
   * it, a quorum of `voters` is known to have committed this node's removal.
   */
  heard(from: NodeId, commit: number, voters: readonly NodeId[], quorum: number): boolean {
    if (this.current !== "handingOver" || commit < this.removalIndex || !voters.includes(from)) return false;
    this.told.add(from);
    let n = 0;
    for (const v of voters) if (this.told.has(v)) n++;
    return n >= quorum;
  }
}
