// How a leader handles messages: heartbeats and quorum checks, proposals, replication
// responses, leadership transfer and ReadIndex.
import type { ConfChange, Message } from "./types";
import { NONE } from "./types";
import type { StepHost } from "./step-host";

export function stepLeader(r: StepHost, m: Message): boolean {
  switch (m.type) {
    case "MsgBeat":
      r.bcastHeartbeat(r.readOnly.lastPendingCtx());
      return true;
    case "MsgCheckQuorum":
      if (!r.checkQuorumActive()) r.becomeFollower(r.term, NONE);
      return true;
    case "MsgProp":
      return propose(r, m);
    case "MsgReadIndex":
      return readIndex(r, m);
  }

  // Everything else comes from a follower we must know.
  const pr = r.prs.get(m.from);
  if (!pr) return true;
  switch (m.type) {
    case "MsgAppResp": {
      pr.recentActive = true;
      if (m.reject) {
        let next = m.rejectHint;
        if (m.logTerm > 0) next = r.log.findConflictByTerm(m.rejectHint, m.logTerm);
        if (pr.maybeDecrTo(m.index, next)) {
          if (pr.state === "replicate") pr.becomeProbe();
          r.sendAppend(m.from);
        }
        return true;
      }
      const wasPaused = pr.isPaused();
      if (!pr.maybeUpdate(m.index)) return true;
      if (pr.state === "probe") pr.becomeReplicate();
      else if (pr.state === "snapshot" && pr.match >= pr.pendingSnapshot) {
        pr.becomeProbe();
        pr.becomeReplicate();
      } else if (pr.state === "replicate") pr.inflights.freeLE(m.index);

      if (r.maybeCommit()) {
        releasePendingReadIndex(r);
        r.bcastAppend();
      } else if (wasPaused) {
        r.sendAppend(m.from);
      }
      // Keep the pipe full: send what is left, up to the in-flight limit.
      while (r.maybeSendAppend(m.from, false)) {}
      if (m.from === r.leadTransferee && pr.match === r.log.lastIndex()) r.sendTimeoutNow(m.from);
      return true;
    }
    case "MsgHeartbeatResp": {
      pr.recentActive = true;
      pr.probeSent = false;
      // The follower is alive: let one more append through even if the window is full.
      if (pr.state === "replicate" && pr.inflights.full()) pr.inflights.freeFirstOne();
      if (pr.match < r.log.lastIndex()) r.sendAppend(m.from);
      if (m.context === undefined) return true;
      if (r.readOnly.recvAck(m.from, m.context) < r.quorum()) return true;
      for (const rs of r.readOnly.advance(m.context)) r.respondToReadIndex(rs.from, rs.ctx, rs.index);
      return true;
    }
    case "MsgSnapStatus":
      if (pr.state !== "snapshot") return true;
      if (m.reject) pr.pendingSnapshot = 0;
      pr.becomeProbe();
      // Wait for the follower's answer (or a heartbeat response) before probing again.
      pr.probeSent = true;
      return true;
    case "MsgUnreachable":
      if (pr.state === "replicate") pr.becomeProbe();
      return true;
    case "MsgTransferLeader": {
      const transferee = m.context as number;
      // (A leader handing over after its removal has one job left; see self-membership.ts.)
      if (!r.prs.has(transferee) || !r.prs.has(r.id)) return true;
      if (r.leadTransferee !== NONE) {
        if (r.leadTransferee === transferee) return true;
        r.abortLeaderTransfer();
      }
      if (transferee === r.id) return true;
      // The transfer must finish within one election timeout.
      r.electionElapsed = 0;
      r.leadTransferee = transferee;
      if (r.prs.get(transferee)!.match === r.log.lastIndex()) r.sendTimeoutNow(transferee);
      else r.sendAppend(transferee);
      return true;
    }
  }
  return true;
}

function propose(r: StepHost, m: Message): boolean {
  if (m.entries.length === 0) throw new Error("raft: stepped an empty proposal");
  // Removed from the cluster, or handing leadership over: refuse.
  if (!r.prs.has(r.id) || r.leadTransferee !== NONE) return false;
  let pending = r.pendingConfIndex;
  for (let i = 0; i < m.entries.length; i++) {
    const e = m.entries[i];
    if (e.type !== "confChange") continue;
    // One membership change at a time: the previous one must be applied first.
    if (pending > r.log.applied) return false;
    const cc = e.data as ConfChange;
    if (cc.type === "removeNode" && r.voters.length === 1 && r.voters[0] === cc.nodeId) return false;
    pending = r.log.lastIndex() + i + 1;
  }
  r.pendingConfIndex = pending;
  r.appendEntry(m.entries);
  r.bcastAppend();
  return true;
}

function readIndex(r: StepHost, m: Message): boolean {
  // Removed from the cluster (handing over): no reads.
  if (!r.prs.has(r.id)) return false;
  if (r.voters.length === 1) {
    r.respondToReadIndex(m.from, m.context, r.log.committed);
    return true;
  }
  // Until it commits an entry of its own term, a new leader does not know the commit index.
  if (!r.committedEntryInCurrentTerm()) {
    r.pendingReadIndex.push(m);
    return true;
  }
  serveReadIndex(r, m);
  return true;
}

function serveReadIndex(r: StepHost, m: Message): void {
  r.readOnly.add(r.log.committed, m.from, m.context);
  r.readOnly.recvAck(r.id, m.context);
  r.bcastHeartbeat(m.context);
}

function releasePendingReadIndex(r: StepHost): void {
  if (r.pendingReadIndex.length === 0 || !r.committedEntryInCurrentTerm()) return;
  const queued = r.pendingReadIndex;
  r.pendingReadIndex = [];
  for (const m of queued) serveReadIndex(r, m);
}
