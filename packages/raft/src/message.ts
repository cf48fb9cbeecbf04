// Building and classifying messages.
import type { Entry, Message, MessageType, NodeId } from "./types";

export const NO_ENTRIES: readonly Entry[] = Object.freeze([]) as readonly Entry[];

/** The context a candidate puts on its vote requests when a leadership transfer told it to run. */
export const CAMPAIGN_TRANSFER = "CampaignTransfer";

/** A message with every field present (one object shape for all messages). */
export function newMessage(type: MessageType, from: NodeId, to: NodeId, term: number): Message {
  return {
    type,
    from,
    to,
    term,
    logTerm: 0,
    index: 0,
    entries: NO_ENTRIES,
    commit: 0,
    reject: false,
    rejectHint: 0,
    snapshot: undefined,
    context: undefined,
  };
}

const LOCAL: ReadonlySet<MessageType> = new Set<MessageType>([
  "MsgHup",
  "MsgBeat",
  "MsgUnreachable",
  "MsgSnapStatus",
  "MsgCheckQuorum",
]);

/** Messages a node sends itself; they must never arrive from the network. */
export function isLocalMessage(type: MessageType): boolean {
  return LOCAL.has(type);
}

const RESPONSES: ReadonlySet<MessageType> = new Set<MessageType>([
  "MsgAppResp",
  "MsgVoteResp",
  "MsgPreVoteResp",
  "MsgHeartbeatResp",
  "MsgUnreachable",
]);

export function isResponseMessage(type: MessageType): boolean {
  return RESPONSES.has(type);
}

export function voteResponseType(t: MessageType): MessageType {
  return t === "MsgPreVote" ? "MsgPreVoteResp" : "MsgVoteResp";
}
