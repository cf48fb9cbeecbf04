// The five safety properties of Raft (Figure 3 of the paper), checked from the outside: the
// checker sees only what every node hands its host (each Ready, and the state a node
// restarts from), keeps a shadow copy of every log, and throws at the first violation with
// the seed, its own recent observations and the host's trace tail.
//
//   Election Safety       at most one leader per term (and no node votes twice in a term,
//                         nor forgets its term or vote across a restart)
//   Leader Append-Only    a leader never overwrites or deletes entries of its log
//   Log Matching          same index and term => same entry and same log before it
//   Leader Completeness   a leader's log holds every entry committed in earlier terms
//   State Machine Safety  no two nodes commit or apply different entries at one index
import { NONE, type Entry, type NodeId, type PersistentState, type Ready, type StateType } from "../types";

export type InvariantName =
  | "Election Safety"
  | "Leader Append-Only"
  | "Log Matching"
  | "Leader Completeness"
  | "State Machine Safety";

/** What a host reports to an observer such as the invariant checker. */
export interface RaftObserver {
  /** Call right after node.ready(), before acting on it. */
  onReady(id: NodeId, rd: Ready): void;
  /** Call when a node is created from its persisted state (after a crash or restart). */
  onRestart(id: NodeId, state: PersistentState): void;
}

export class InvariantViolation extends Error {
  constructor(
    readonly invariant: InvariantName,
    readonly details: string,
    readonly seed: number | string | undefined,
    readonly tail: string[],
  ) {
    super(
      `Raft invariant violated: ${invariant}: ${details}\n` +
        `seed: ${seed ?? "(not given)"}\n` +
        `trace tail (oldest first):\n  ${tail.join("\n  ")}`,
    );
    this.name = "InvariantViolation";
  }
}

export interface InvariantCheckerOptions {
  /** The run's seed, printed with every violation. */
  seed?: number | string;
  /** The host's own trace tail (e.g. the kernel's), appended to the checker's. */
  traceTail?: () => unknown[];
  /** How many of the checker's own observations to keep for reports (default 40). */
  tailSize?: number;
}

/** One node's log as the checker has seen it: a base (snapshot) and the terms after it. */
interface Shadow {
  base: number;
  baseTerm: number;
  /** terms[k] is the term of entry base + 1 + k. */
  terms: number[];
  term: number;
  vote: NodeId;
  role: StateType;
  commit: number;
  applied: number;
}

/** The first sighting of an entry (index, term): what precedes it and what it holds. */
interface Sighting {
  term: number;
  prevTerm: number;
  data: unknown;
}

export class InvariantChecker implements RaftObserver {
  private readonly shadows = new Map<NodeId, Shadow>();
  private readonly leaders = new Map<number, NodeId>();
  private readonly seen = new Map<number, Sighting[]>();
  /** committedTerm[i]: the term of the entry committed at index i. */
  private readonly committedTerm: number[] = [0];
  /**
   * commitTermOf[i]: a term by which entry i was committed (the lowest term of a node that
   * reported it committed). Leader Completeness binds leaders of later terms only.
   */
  private readonly commitTermOf: number[] = [0];
  private maxCommitted = 0;
  private readonly ring: string[] = [];
  private ringPos = 0;
  private readonly tailSize: number;
  private observations = 0;

  constructor(private readonly opts: InvariantCheckerOptions = {}) {
    this.tailSize = opts.tailSize ?? 40;
  }

  /** Entries known committed so far (the highest index). */
  committedIndex(): number {
    return this.maxCommitted;
  }

  /** The leader of each term seen so far. */
  leadersByTerm(): ReadonlyMap<number, NodeId> {
    return this.leaders;
  }

  onRestart(id: NodeId, st: PersistentState): void {
    this.note(
      `n${id} restart: term=${st.hardState.term} vote=${st.hardState.vote} commit=${st.hardState.commit} ` +
        `snap=${st.snapshot?.metadata.index ?? 0} ents=${span(st.entries)}`,
    );
    const old = this.shadows.get(id);
    const hs = st.hardState;
    if (old) {
      if (hs.term < old.term)
        this.fail(
          "Election Safety",
          `n${id} restarted at term ${hs.term}, but it had reached term ${old.term}`,
        );
      if (hs.term === old.term && old.vote !== NONE && hs.vote !== old.vote)
        this.fail(
          "Election Safety",
          `n${id} restarted with vote ${hs.vote} in term ${hs.term}, but had voted for ${old.vote}`,
        );
    }
    const sh: Shadow = {
      base: 0,
      baseTerm: 0,
      terms: [],
      term: hs.term,
      vote: hs.vote,
      role: "follower",
      commit: 0,
      applied: 0,
    };
    this.shadows.set(id, sh);
    if (st.snapshot) this.installSnapshot(id, sh, st.snapshot.metadata.index, st.snapshot.metadata.term);
    this.append(
      id,
      sh,
      st.entries.filter((e) => e.index > sh.base),
      false,
    );
    this.learnCommit(id, sh, Math.max(hs.commit, sh.base));
    sh.applied = sh.base;
  }

  onReady(id: NodeId, rd: Ready): void {
    this.observations++;
    let sh = this.shadows.get(id);
    if (!sh) {
      sh = { base: 0, baseTerm: 0, terms: [], term: 0, vote: NONE, role: "follower", commit: 0, applied: 0 };
      this.shadows.set(id, sh);
    }
    this.note(describeReady(id, rd));
    const wasLeaderInTerm = sh.role === "leader" ? sh.term : -1;

    if (rd.hardState) {
      const hs = rd.hardState;
      if (hs.term < sh.term)
        this.fail("Election Safety", `n${id}'s term went back from ${sh.term} to ${hs.term}`);
      if (hs.term === sh.term && sh.vote !== NONE && hs.vote !== sh.vote)
        this.fail(
          "Election Safety",
          `n${id} voted twice in term ${hs.term}: for ${sh.vote}, then for ${hs.vote}`,
        );
      sh.term = hs.term;
      sh.vote = hs.vote;
    }
    if (rd.softState) sh.role = rd.softState.raftState;
    const leaderNow = sh.role === "leader" ? sh.term : -1;

    // A snapshot comes before the Ready's entries: they follow it (hosts persist in that order).
    if (rd.snapshot) {
      if (stillLeader(wasLeaderInTerm, leaderNow))
        this.fail(
          "Leader Append-Only",
          `n${id}, leader of term ${leaderNow}, replaced its log with a snapshot`,
        );
      this.installSnapshot(id, sh, rd.snapshot.metadata.index, rd.snapshot.metadata.term);
      sh.applied = Math.max(sh.applied, rd.snapshot.metadata.index);
    }
    if (rd.entries.length > 0) {
      const stillSameLeader = wasLeaderInTerm >= 0 && leaderNow === wasLeaderInTerm;
      this.append(id, sh, rd.entries, stillSameLeader);
    }
    if (leaderNow >= 0 && wasLeaderInTerm !== leaderNow) this.newLeader(id, sh);
    if (rd.hardState) {
      if (rd.hardState.commit < sh.commit)
        this.fail(
          "State Machine Safety",
          `n${id}'s commit index went back from ${sh.commit} to ${rd.hardState.commit}`,
        );
      this.learnCommit(id, sh, rd.hardState.commit);
    }
    for (const e of rd.committedEntries) this.apply(id, sh, e);
  }

  // ---- the checks ------------------------------------------------------------------------

  private newLeader(id: NodeId, sh: Shadow): void {
    const other = this.leaders.get(sh.term);
    if (other !== undefined && other !== id)
      this.fail("Election Safety", `term ${sh.term} has two leaders: n${other} and n${id}`);
    this.leaders.set(sh.term, id);
    this.checkLeaderComplete(id, sh);
  }

  /**
   * The leader must hold every entry committed in a term before its own. It is enough to
   * check the newest such entry: by Log Matching (checked separately) it has all before it.
   */
  private checkLeaderComplete(id: NodeId, sh: Shadow): void {
    let k = this.maxCommitted;
    // Holes (below a snapshot) are undefined and skipped, as are later-term commits.
    while (k > 0 && !(this.commitTermOf[k] < sh.term)) k--;
    if (k > sh.base) this.leaderHas(id, sh, k);
  }

  private leaderHas(id: NodeId, sh: Shadow, k: number): void {
    // Entries at or below its snapshot are covered: the snapshot was checked against the commits.
    if (k <= sh.base) return;
    const t = termAt(sh, k);
    if (t !== this.committedTerm[k])
      this.fail(
        "Leader Completeness",
        `n${id}, leader of term ${sh.term}, lacks committed entry ${k} (term ${this.committedTerm[k]}); ` +
          `it has ${t < 0 ? "nothing" : `term ${t}`} there`,
      );
  }

  /** Adds entries to a node's shadow log, checking Leader Append-Only and Log Matching. */
  private append(id: NodeId, sh: Shadow, ents: readonly Entry[], leaderAll: boolean): void {
    if (ents.length === 0) return;
    const first = ents[0].index;
    const last = sh.base + sh.terms.length;
    if (first > last + 1)
      this.fail("Log Matching", `n${id} appended entry ${first} after a gap (last ${last})`);
    if (first <= sh.base)
      this.fail("Log Matching", `n${id} rewrote entry ${first}, covered by its snapshot at ${sh.base}`);
    if (first <= last) {
      if (leaderAll)
        this.fail(
          "Leader Append-Only",
          `n${id}, leader of term ${sh.term}, overwrote its entries ${first}..${last} with ${span(ents)}`,
        );
      if (first <= sh.commit)
        this.fail("State Machine Safety", `n${id} overwrote committed entry ${first} (commit ${sh.commit})`);
      sh.terms.length = first - sh.base - 1;
    }
    for (const e of ents) {
      const prevTerm = e.index - 1 === sh.base ? sh.baseTerm : sh.terms[e.index - sh.base - 2];
      this.sight(id, e.index, e.term, prevTerm, e.data);
      sh.terms.push(e.term);
    }
  }

  /** Log Matching, by induction: every copy of (index, term) follows the same (index-1, term). */
  private sight(id: NodeId, index: number, term: number, prevTerm: number, data: unknown): void {
    let list = this.seen.get(index);
    if (!list) this.seen.set(index, (list = []));
    for (const s of list) {
      if (s.term !== term) continue;
      if (s.prevTerm !== prevTerm)
        this.fail(
          "Log Matching",
          `n${id} has entry ${index} of term ${term} after an entry of term ${prevTerm}; another node has it after term ${s.prevTerm}`,
        );
      if (!sameData(s.data, data))
        this.fail("Log Matching", `n${id}'s entry ${index} of term ${term} differs from another node's copy`);
      return;
    }
    list.push({ term, prevTerm, data });
  }

  private installSnapshot(id: NodeId, sh: Shadow, index: number, term: number): void {
    const known = this.committedTerm[index];
    if (index > 0 && known !== undefined && known !== term)
      this.fail(
        "State Machine Safety",
        `n${id} installed a snapshot at ${index} of term ${term}; committed there is term ${known}`,
      );
    sh.base = index;
    sh.baseTerm = term;
    sh.terms = [];
    if (sh.commit < index) sh.commit = index;
  }

  /** A node's commit index reached c: the entries up to c are committed, cluster-wide. */
  private learnCommit(id: NodeId, sh: Shadow, c: number): void {
    if (c <= sh.commit) return;
    const last = sh.base + sh.terms.length;
    if (c > last) this.fail("State Machine Safety", `n${id} committed ${c} beyond its last entry ${last}`);
    for (let i = Math.max(sh.commit, sh.base) + 1; i <= c; i++) {
      const t = sh.terms[i - sh.base - 1];
      const known = this.committedTerm[i];
      if (known === undefined) this.committedTerm[i] = t;
      else if (known !== t)
        this.fail(
          "State Machine Safety",
          `n${id} committed entry ${i} of term ${t}; another node committed term ${known} there`,
        );
      const by = this.commitTermOf[i];
      if (by === undefined || sh.term < by) {
        this.commitTermOf[i] = sh.term;
        // Leaders of later terms must already hold it.
        for (const [lid, lsh] of this.shadows)
          if (lsh.role === "leader" && lsh.term > sh.term) this.leaderHas(lid, lsh, i);
      }
    }
    sh.commit = c;
    if (c > this.maxCommitted) this.maxCommitted = c;
  }

  private apply(id: NodeId, sh: Shadow, e: Entry): void {
    if (e.index !== sh.applied + 1)
      this.fail("State Machine Safety", `n${id} applied entry ${e.index} after ${sh.applied} (not in order)`);
    if (e.index > sh.commit)
      this.fail("State Machine Safety", `n${id} applied entry ${e.index} beyond commit ${sh.commit}`);
    const known = this.committedTerm[e.index];
    if (known !== e.term)
      this.fail(
        "State Machine Safety",
        `n${id} applied entry ${e.index} of term ${e.term}; committed there is term ${known}`,
      );
    const s = this.seen.get(e.index)?.find((x) => x.term === e.term);
    if (s && !sameData(s.data, e.data))
      this.fail("State Machine Safety", `n${id} applied a different entry ${e.index} than the one committed`);
    sh.applied = e.index;
  }

  // ---- reporting -------------------------------------------------------------------------

  private note(line: string): void {
    const entry = `#${this.observations} ${line}`;
    if (this.ring.length < this.tailSize) this.ring.push(entry);
    else {
      this.ring[this.ringPos] = entry;
      this.ringPos = (this.ringPos + 1) % this.tailSize;
    }
  }

  private tail(): string[] {
    const own = [...this.ring.slice(this.ringPos), ...this.ring.slice(0, this.ringPos)];
    const host = this.opts.traceTail?.() ?? [];
    return [...own, ...(host.length > 0 ? ["-- host trace --", ...host.map((r) => JSON.stringify(r))] : [])];
  }

  private fail(inv: InvariantName, details: string): never {
    throw new InvariantViolation(inv, details, this.opts.seed, this.tail());
  }
}

function stillLeader(was: number, now: number): boolean {
  return was >= 0 && was === now;
}

function termAt(sh: Shadow, i: number): number {
  if (i === sh.base) return sh.baseTerm;
  if (i < sh.base || i > sh.base + sh.terms.length) return -1;
  return sh.terms[i - sh.base - 1];
}

function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

function span(ents: readonly Entry[]): string {
  if (ents.length === 0) return "[]";
  const a = ents[0];
  const b = ents[ents.length - 1];
  return `[${a.index}@${a.term}..${b.index}@${b.term}]`;
}

function describeReady(id: NodeId, rd: Ready): string {
  const parts = [`n${id}`];
  if (rd.softState) parts.push(`${rd.softState.raftState} lead=${rd.softState.lead}`);
  if (rd.hardState)
    parts.push(`term=${rd.hardState.term} vote=${rd.hardState.vote} commit=${rd.hardState.commit}`);
  if (rd.entries.length) parts.push(`append ${span(rd.entries)}`);
  if (rd.snapshot) parts.push(`snapshot ${rd.snapshot.metadata.index}@${rd.snapshot.metadata.term}`);
  if (rd.committedEntries.length) parts.push(`apply ${span(rd.committedEntries)}`);
  if (rd.messages.length) parts.push(`send ${rd.messages.length}`);
  return parts.join(" ");
}
