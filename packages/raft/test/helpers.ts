// Shared helpers for this package's tests: messages with defaults, nodes booted from a given
// log, and a look at a node's log as a list of terms.
import {
  type Entry,
  type Message,
  NONE,
  type NodeId,
  type PersistentState,
  RaftNode,
  type RaftConfig,
  type Ready,
  seededRandom,
} from "../src";

export function msg(m: Partial<Message> & Pick<Message, "type" | "from" | "to">): Message {
  return {
    term: 0,
    logTerm: 0,
    index: 0,
    entries: [],
    commit: 0,
    reject: false,
    rejectHint: 0,
    snapshot: undefined,
    context: undefined,
    ...m,
  };
}

/** Entries 1..n with the given terms. */
export function entries(terms: readonly number[]): Entry[] {
  return terms.map((term, i) => ({ term, index: i + 1, type: "normal", data: `e${i + 1}@${term}` }));
}

/**
 * Stable storage holding a log with the given terms, the given voters (recorded in an empty
 * snapshot at index 0, as a host that keeps membership outside the log would), a term and a
 * commit index.
 */
export function storageWithLog(
  terms: readonly number[],
  voters: readonly NodeId[],
  term = terms.length > 0 ? terms[terms.length - 1] : 0,
  commit = 0,
): PersistentState {
  return {
    hardState: { term, vote: NONE, commit },
    snapshot: { metadata: { index: 0, term: 0, confState: { voters: [...voters] } }, data: [] },
    entries: entries(terms),
  };
}

export function newNode(id: NodeId, voters: NodeId[], extra: Partial<RaftConfig> = {}): RaftNode {
  const node = new RaftNode({
    id,
    random: seededRandom(id),
    storage: storageWithLog([], voters, 0),
    ...extra,
  });
  drain(node);
  return node;
}

/** Takes every Ready (acknowledging it) and returns them all. */
export function drain(node: RaftNode): Ready[] {
  const out: Ready[] = [];
  while (node.hasReady()) {
    out.push(node.ready());
    node.advance();
  }
  return out;
}

/** The messages of every pending Ready. */
export function sent(node: RaftNode): Message[] {
  return drain(node).flatMap((rd) => rd.messages);
}

/** The terms of a node's log, from firstIndex to lastIndex. */
export function logTerms(node: RaftNode): number[] {
  const s = node.status();
  const out: number[] = [];
  for (let i = s.firstIndex; i <= s.lastIndex; i++) out.push(node.entry(i)!.term);
  return out;
}
