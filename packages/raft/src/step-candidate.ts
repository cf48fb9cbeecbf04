// How a candidate or pre-candidate handles messages: a leader of its term makes it a
// follower; vote responses decide the election.
import type { StepHost } from "./step-host";
import { type Message, NONE } from "./types";

export function stepCandidate(r: StepHost, m: Message): boolean {
  // Only the responses to our own kind of request count; a stale pre-vote answer does not.
  const myResponse = r.state === "preCandidate" ? "MsgPreVoteResp" : "MsgVoteResp";
  switch (m.type) {
    case "MsgProp":
    case "MsgReadIndex":
      return false; // no leader to forward to
    case "MsgApp":
      r.becomeFollower(m.term, m.from);
      r.handleAppend(m);
      return true;
    case "MsgHeartbeat":
      r.becomeFollower(m.term, m.from);
      r.handleHeartbeat(m);
      return true;
    case "MsgSnap":
      r.becomeFollower(m.term, m.from);
      r.handleSnapshot(m);
      return true;
    case "MsgPreVoteResp":
    case "MsgVoteResp": {
      if (m.type !== myResponse) return true;
      const result = r.poll(m.from, !m.reject);
      if (result === "won") {
        if (r.state === "preCandidate") {
          r.campaign("election");
        } else {
          r.becomeLeader();
          r.bcastAppend();
        }
      } else if (result === "lost") {
        // A rejected pre-vote with a higher term already made us a follower in step().
        r.becomeFollower(r.term, NONE);
      }
      return true;
    }
  }
  return true;
}
