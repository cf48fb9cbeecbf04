// The Wing–Gong search over one partition of a history, as Porcupine runs it: walk a doubly
// linked list of call and return events; at a call, try to linearize the operation there (the
// model accepts it from the current state, and the resulting pair of linearized set and state
// is new to the memo) and start again from the first event; at a return whose call is not yet
// linearized, undo the last choice. The history is linearizable when the list empties, and
// illegal when there is no choice left to undo.
//
// The search can be paused and resumed (run(maxSteps) picks up where it stopped), so that a
// check can interleave the partitions of a history under a growing budget.
import type { Model, Operation } from "./model";
import { type MemoBudget, SearchMemo, stateHash, zobristWords } from "./search-memo";

/** One event of the list: a call, or a return. */
interface Ev {
  op: number;
  isCall: boolean;
  time: number;
  /** For a call: its return event. */
  ret: Ev | undefined;
  prev: Ev | undefined;
  next: Ev | undefined;
}

export type SearchState = "searching" | "ok" | "illegal" | "memoFull";

export class PartitionSearch<S, I, O> {
  state: SearchState = "searching";
  steps = 0;
  /** For "illegal": the longest prefix of operations that did linearize. */
  longest: Operation<I, O>[] = [];

  private readonly head: Ev;
  private ev: Ev | undefined;
  private readonly memo: SearchMemo<S>;
  private readonly set: Uint32Array;
  private readonly zLo: Int32Array;
  private readonly zHi: Int32Array;
  private setLo = 0;
  private setHi = 0;
  private readonly sh = new Int32Array(2);
  private modelState: S;
  private readonly callStack: Ev[] = [];
  private readonly stateStack: S[] = [];
  private longestOps: number[] = [];

  constructor(
    private readonly model: Model<S, I, O>,
    private readonly ops: readonly Operation<I, O>[],
    budget: MemoBudget,
  ) {
    this.head = {
      op: -1,
      isCall: false,
      time: Number.NEGATIVE_INFINITY,
      ret: undefined,
      prev: undefined,
      next: undefined,
    };
    const first = buildEvents(ops);
    this.head.next = first;
    if (first) first.prev = this.head;
    else this.state = "ok";
    this.ev = first;
    const words = (ops.length + 31) >>> 5;
    this.set = new Uint32Array(words);
    ({ lo: this.zLo, hi: this.zHi } = zobristWords(ops.length));
    this.memo = new SearchMemo(words, model.equal, budget);
    this.modelState = model.init();
  }

  /** Searches for at most `maxSteps` more steps; returns how many it took. */
  run(maxSteps: number): number {
    if (this.state !== "searching") return 0;
    const { model, ops, head, set, zLo, zHi, sh, memo, callStack, stateStack } = this;
    const hash = model.hash;
    let ev = this.ev;
    let state = this.modelState;
    let taken = 0;
    while (head.next) {
      if (taken >= maxSteps) break;
      taken++;
      if (!ev) throw new Error("linearizability: walked off the event list");
      if (ev.isCall) {
        const op = ops[ev.op];
        const known = op.return !== undefined;
        const [ok, next] = model.step(state, op.input, known ? op.output : undefined, known);
        if (ok) {
          const i = ev.op;
          const bit = 1 << (i & 31);
          set[i >>> 5] |= bit;
          const lo = this.setLo ^ zLo[i];
          const hi = this.setHi ^ zHi[i];
          if (hash) stateHash(hash(next), sh);
          else sh[0] = sh[1] = 0;
          const seen = memo.add(lo ^ sh[0], hi ^ sh[1], set, next);
          if (seen === "new") {
            this.setLo = lo;
            this.setHi = hi;
            callStack.push(ev);
            stateStack.push(state);
            state = next;
            lift(ev);
            ev = head.next;
            continue;
          }
          set[i >>> 5] &= ~bit;
          if (seen === "full") {
            this.state = "memoFull";
            break;
          }
        }
        ev = ev.next;
      } else {
        // A return reached before its call was linearized: undo the last choice.
        if (callStack.length > this.longestOps.length) this.longestOps = callStack.map((c) => c.op);
        const call = callStack.pop();
        if (!call) {
          this.state = "illegal";
          this.longest = this.longestOps.map((i) => ops[i]);
          break;
        }
        state = stateStack.pop() as S;
        const i = call.op;
        set[i >>> 5] &= ~(1 << (i & 31));
        this.setLo ^= zLo[i];
        this.setHi ^= zHi[i];
        unlift(call);
        ev = call.next;
      }
    }
    if (this.state === "searching" && !head.next) this.state = "ok";
    this.ev = ev;
    this.modelState = state;
    this.steps += taken;
    return taken;
  }
}

function buildEvents<I, O>(ops: readonly Operation<I, O>[]): Ev | undefined {
  const evs: Ev[] = [];
  ops.forEach((op, i) => {
    const ret: Ev = {
      op: i,
      isCall: false,
      time: op.return ?? Number.POSITIVE_INFINITY,
      ret: undefined,
      prev: undefined,
      next: undefined,
    };
    evs.push({ op: i, isCall: true, time: op.call, ret, prev: undefined, next: undefined }, ret);
  });
  // By time; at equal times calls first, so that touching operations count as concurrent
  // (the permissive reading, as Porcupine does).
  evs.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.op - b.op : a.isCall ? -1 : 1));
  for (let i = 0; i < evs.length; i++) {
    evs[i].prev = evs[i - 1];
    evs[i].next = evs[i + 1];
  }
  return evs[0];
}

/** Takes a call and its return out of the list (the operation is linearized). */
function lift(call: Ev): void {
  call.prev!.next = call.next;
  if (call.next) call.next.prev = call.prev;
  const ret = call.ret!;
  ret.prev!.next = ret.next;
  if (ret.next) ret.next.prev = ret.prev;
}

/** Puts them back, in the reverse order of lift. */
function unlift(call: Ev): void {
  const ret = call.ret!;
  ret.prev!.next = ret;
  if (ret.next) ret.next.prev = ret;
  call.prev!.next = call;
  if (call.next) call.next.prev = call;
}
