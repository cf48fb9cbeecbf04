// How a follower handles messages: it accepts the leader's appends, heartbeats and
// snapshots, forwards proposals, transfer requests and reads to the leader, and campaigns
// at once when the leader hands leadership over.
import { newMessage } from "./message";
import type { StepHost } from "./step-host";
import { type Message, NONE } from "./types";

export function stepFollower(r: StepHost, m: Message): boolean {
  switch (m.type) {
    case "MsgProp":
    case "MsgTransferLeader":
    case "MsgReadIndex":
      if (r.lead === NONE) return false;
      r.msgs.push(forward(r, m));
      return true;
    case "MsgApp":
      r.electionElapsed = 0;
      r.lead = m.from;
      r.handleAppend(m);
      return true;
    case "MsgHeartbeat":
      r.electionElapsed = 0;
      r.lead = m.from;
      r.handleHeartbeat(m);
      return true;
    case "MsgSnap":
      r.electionElapsed = 0;
      r.lead = m.from;
      r.handleSnapshot(m);
      return true;
    case "MsgTimeoutNow":
      // The leader chose us: campaign now, skipping the pre-vote and the lease.
      r.hup("transfer");
      return true;
    case "MsgReadIndexResp":
      r.readStates.push({ index: m.index, requestCtx: m.context });
      return true;
  }
  return true;
}

/** A copy of m addressed to the leader (messages are shared, so never mutate them). */
function forward(r: StepHost, m: Message): Message {
  const f = newMessage(m.type, r.id, r.lead, 0);
  f.entries = m.entries;
  f.context = m.context;
  return f;
}
