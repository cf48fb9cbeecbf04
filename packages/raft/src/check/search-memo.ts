// The memo of the linearizability search: the (linearized set, model state) pairs already
// explored, so that no pair is explored twice (Lowe's memoization).
//
// An entry is found by a 64-bit key kept as two 32-bit halves: the XOR of one random pair of
// words per linearized operation (Zobrist hashing, so the key follows the set in O(1) as
// operations are linearized and undone), XORed with the model's hash of the state. A key is
// never trusted alone: an entry matches only when its stored copy of the set and its state are
// equal to the ones looked up, so a hash collision costs one comparison, never a wrong answer.
//
// The table is bounded: past `maxEntries` entries or `maxWords` words of stored sets (shared by
// every partition of one check, through MemoBudget) it refuses new entries and the search
// answers "unknown", instead of growing until the process runs out of memory.

/** Limits shared by the memos of one check. */
export interface MemoBudget {
  entries: number;
  words: number;
  readonly maxEntries: number;
  readonly maxWords: number;
}

export type MemoAnswer = "new" | "seen" | "full";

export class SearchMemo<S> {
  /** Open addressing: entry index + 1 per slot, 0 for an empty slot. */
  private slots: Int32Array;
  private mask: number;
  private los: Int32Array;
  private his: Int32Array;
  /** Entry k's set is sets[k * words .. (k + 1) * words). */
  private sets: Uint32Array;
  private readonly states: S[] = [];
  private count = 0;

  constructor(
    /** 32-bit words per linearized set. */
    private readonly words: number,
    private readonly equal: (a: S, b: S) => boolean,
    private readonly budget: MemoBudget,
  ) {
    const cap = 16;
    this.slots = new Int32Array(cap * 2);
    this.mask = cap * 2 - 1;
    this.los = new Int32Array(cap);
    this.his = new Int32Array(cap);
    this.sets = new Uint32Array(cap * words);
  }

  get size(): number {
    return this.count;
  }

  /** Records (set, state) under key (lo, hi) unless an equal pair is there already. */
  add(lo: number, hi: number, set: Uint32Array, state: S): MemoAnswer {
    const w = this.words;
    let i = (lo ^ Math.imul(hi, 0x27d4eb2d)) & this.mask;
    for (;;) {
      const e = this.slots[i] - 1;
      if (e < 0) break;
      if (
        this.los[e] === lo &&
        this.his[e] === hi &&
        this.sameSet(e * w, set) &&
        this.equal(this.states[e], state)
      )
        return "seen";
      i = (i + 1) & this.mask;
    }
    const b = this.budget;
    if (b.entries >= b.maxEntries || b.words + w > b.maxWords) return "full";
    b.entries++;
    b.words += w;
    const e = this.count++;
    if (e === this.los.length) this.grow();
    this.los[e] = lo;
    this.his[e] = hi;
    this.sets.set(set, e * w);
    this.states.push(state);
    if (this.count * 2 > this.slots.length) this.rehash();
    else this.slots[i] = e + 1;
    return "new";
  }

  private sameSet(at: number, set: Uint32Array): boolean {
    const sets = this.sets;
    for (let k = 0; k < set.length; k++) if (sets[at + k] !== set[k]) return false;
    return true;
  }

  private grow(): void {
    const cap = this.los.length * 2;
    const los = new Int32Array(cap);
    los.set(this.los);
    this.los = los;
    const his = new Int32Array(cap);
    his.set(this.his);
    this.his = his;
    const sets = new Uint32Array(cap * this.words);
    sets.set(this.sets);
    this.sets = sets;
  }

  /** Doubles the slot table and puts every entry back (the newest one included). */
  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let e = 0; e < this.count; e++) {
      let i = (this.los[e] ^ Math.imul(this.his[e], 0x27d4eb2d)) & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = e + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** murmur3's 32-bit finalizer: a bijection of 32-bit integers that mixes every bit. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/** The Zobrist words of operations 0..n-1 (fixed, so every check is deterministic). */
export function zobristWords(n: number): { lo: Int32Array; hi: Int32Array } {
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    lo[i] = mix32(2 * i + 0x3c6ef372);
    hi[i] = mix32(2 * i + 0x3c6ef373);
  }
  return { lo, hi };
}

/**
 * Two 32-bit halves of a model state's hash (string or number, as Model.hash gives it).
 * Written to `out` to avoid allocating per search step.
 */
export function stateHash(h: string | number, out: Int32Array): void {
  if (typeof h === "number" && (h | 0) === h) {
    out[0] = mix32(h);
    out[1] = mix32(h ^ 0x5bd1e995);
    return;
  }
  const s = typeof h === "string" ? h : String(h);
  // Two FNV-1a style passes with different primes, in one loop.
  let a = 0x811c9dc5 | 0;
  let b = 0x050c5d1f | 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  out[0] = mix32(a ^ s.length);
  out[1] = mix32(b);
}
