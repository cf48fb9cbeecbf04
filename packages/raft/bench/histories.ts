// Generated key-value histories for the linearizability checker's benchmark and tests: what
// concurrent clients of a linearizable register would record. Each operation gets a random
// interval and a random point inside it where it takes effect; outputs are computed by
// applying the operations in the order of those points. Some writes have an unknown outcome
// (the client never heard back: no return time), and half of those never took effect.
// `corrupt` makes the last read return a value nobody wrote, so the history is illegal and the
// checker must exhaust every order before it can say so: that is what makes it expensive.
import { applyKv, type KvInput, type KvOperation, type KvState, seededRandom } from "../src";

export interface RegisterHistoryOptions {
  seed: number;
  /** Operations in the history. */
  ops: number;
  /** Clients issuing them, one operation at a time each. */
  clients: number;
  /** Fraction of writes whose outcome the client never learns. */
  unknownRate: number;
  /** Make the last read return a value never written (an illegal history). */
  corrupt: boolean;
  key?: string;
}

export function registerHistory(o: RegisterHistoryOptions): KvOperation[] {
  const rng = seededRandom(o.seed);
  const key = o.key ?? "k";
  const made: { op: KvOperation; point: number; effect: boolean }[] = [];
  const free = new Array<number>(o.clients).fill(0);
  for (let i = 0; i < o.ops; i++) {
    const c = i % o.clients;
    const call = free[c] + rng.int(5);
    const duration = 2 + rng.int(30);
    const r = rng.next();
    const input: KvInput =
      r < 0.5
        ? { op: "put", key, value: `v${i}` }
        : r < 0.65
          ? { op: "cas", key, expected: `v${i - 3}`, value: `w${i}` }
          : { op: "get", key };
    const unknown = input.op !== "get" && rng.next() < o.unknownRate;
    const op: KvOperation = { clientId: c, input, call, return: unknown ? undefined : call + duration };
    made.push({ op, point: call + rng.next() * duration, effect: !(unknown && rng.next() < 0.5) });
    free[c] = call + duration + 1;
  }
  let state: KvState = null;
  for (const m of [...made].sort((a, b) => a.point - b.point)) {
    if (!m.effect) continue;
    const [out, next] = applyKv(state, m.op.input);
    state = next;
    if (m.op.return !== undefined) m.op.output = out;
  }
  const ops = made.map((m) => m.op);
  if (o.corrupt) {
    const lastRead = [...ops].reverse().find((op) => op.input.op === "get");
    if (lastRead) lastRead.output = "never written";
  }
  return ops;
}
