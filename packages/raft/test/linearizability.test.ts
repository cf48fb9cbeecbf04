import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyKv,
  checkOperations,
  describeLinearizability,
  type KvInput,
  type KvOperation,
  type KvOutput,
  kvModel,
} from "../src";
import { checkOperationsBaseline } from "../bench/linearizability.bench";
import { registerHistory } from "../bench/histories";
import { SearchMemo } from "../src/check/search-memo";
import { fcParams } from "./fc-params";

const op = (
  clientId: number,
  input: KvInput,
  call: number,
  ret: number | undefined,
  output?: KvOutput,
): KvOperation =>
  ret === undefined ? { clientId, input, call } : { clientId, input, call, return: ret, output };

const check = (h: KvOperation[]) => checkOperations(kvModel, h).outcome;

describe("linearizability checker (Wing–Gong with memoization, per key)", () => {
  it("accepts a sequential history and rejects a stale read after a completed write", () => {
    const ok = [
      op(1, { op: "put", key: "x", value: "a" }, 0, 1, null),
      op(2, { op: "get", key: "x" }, 2, 3, "a"),
    ];
    expect(check(ok)).toBe("ok");
    const stale = [
      op(1, { op: "put", key: "x", value: "a" }, 0, 1, null),
      op(2, { op: "get", key: "x" }, 2, 3, null),
    ];
    const r = checkOperations(kvModel, stale);
    expect(r.outcome).toBe("illegal");
    expect(describeLinearizability(kvModel, r)).toContain("get(x) -> null");
  });

  it("lets concurrent operations take effect in either order, but not flip back", () => {
    const put = op(1, { op: "put", key: "x", value: "a" }, 0, 10, null);
    expect(
      check([put, op(2, { op: "get", key: "x" }, 1, 2, null), op(2, { op: "get", key: "x" }, 3, 4, "a")]),
    ).toBe("ok");
    expect(
      check([
        put,
        op(2, { op: "get", key: "x" }, 1, 2, "a"),
        op(2, { op: "get", key: "x" }, 3, 4, null), // the write cannot be undone
      ]),
    ).toBe("illegal");
  });

  it("an operation with an unknown outcome may or may not have happened, but consistently", () => {
    const put = op(1, { op: "put", key: "x", value: "a" }, 0, undefined);
    expect(check([put, op(2, { op: "get", key: "x" }, 5, 6, null)])).toBe("ok");
    expect(check([put, op(2, { op: "get", key: "x" }, 5, 6, "a")])).toBe("ok");
    expect(
      check([put, op(2, { op: "get", key: "x" }, 5, 6, "a"), op(3, { op: "get", key: "x" }, 7, 8, null)]),
    ).toBe("illegal");
  });

  it("checks compare-and-swap and append results", () => {
    const h = [
      op(1, { op: "put", key: "k", value: "1" }, 0, 1, null),
      op(2, { op: "cas", key: "k", expected: "1", value: "2" }, 2, 5, true),
      op(3, { op: "cas", key: "k", expected: "1", value: "3" }, 3, 6, false),
      op(1, { op: "append", key: "k", value: "+" }, 7, 8, null),
      op(2, { op: "get", key: "k" }, 9, 10, "2+"),
    ];
    expect(check(h)).toBe("ok");
    const both = h.slice(0, 3).map((o, i) => (i === 2 ? { ...o, output: true } : o));
    expect(check(both)).toBe("illegal");
  });

  it("keys are independent: a violation on one key is found among many", () => {
    const h: KvOperation[] = [];
    for (let k = 0; k < 20; k++) {
      h.push(op(k, { op: "put", key: `k${k}`, value: "v" }, k, k + 100, null));
      h.push(op(k + 100, { op: "get", key: `k${k}` }, k + 50, k + 60, k === 13 ? "w" : null));
    }
    const r = checkOperations(kvModel, h);
    expect(r.outcome).toBe("illegal");
    expect(r.failingPartition!.every((o) => o.input.key === "k13")).toBe(true);
  });

  it("gives up with 'unknown' when the step budget runs out", () => {
    const h: KvOperation[] = [];
    for (let i = 0; i < 14; i++) h.push(op(i, { op: "append", key: "x", value: String(i) }, 0, 100, null));
    h.push(op(99, { op: "get", key: "x" }, 200, 201, "no such value"));
    expect(checkOperations(kvModel, h, { maxSteps: 1000 }).outcome).toBe("unknown");
  });

  // Histories built from a sequential run: each operation takes effect at a point inside
  // its [call, return] window, so the history is linearizable by construction.
  const linearizableHistory = fc
    .array(
      fc.record({
        key: fc.constantFrom("a", "b", "c"),
        kind: fc.constantFrom("get", "put", "append", "cas"),
        value: fc.constantFrom("1", "2", "3"),
        before: fc.integer({ min: 0, max: 30 }),
        after: fc.integer({ min: 0, max: 30 }),
        lost: fc.integer({ min: 0, max: 9 }),
      }),
      { maxLength: 40 },
    )
    .map((specs) => {
      const state = new Map<string, string | null>();
      return specs.map((s, i): KvOperation => {
        const input: KvInput =
          s.kind === "get"
            ? { op: "get", key: s.key }
            : s.kind === "cas"
              ? { op: "cas", key: s.key, expected: s.value, value: `${s.value}'` }
              : { op: s.kind as "put" | "append", key: s.key, value: s.value };
        const [output, next] = applyKv(state.get(s.key) ?? null, input);
        state.set(s.key, next);
        const point = i * 10;
        // a write whose client never heard back (1 in 10) has an unknown outcome
        if (s.lost === 0 && s.kind !== "get") return { clientId: i, input, call: point - s.before };
        return { clientId: i, input, call: point - s.before, return: point + s.after, output };
      });
    });

  it("accepts every history built from a sequential run (property)", () => {
    fc.assert(
      fc.property(linearizableHistory, (h) => {
        const r = checkOperations(kvModel, h);
        if (r.outcome !== "ok") throw new Error(describeLinearizability(kvModel, r));
      }),
      fcParams(150, "linearizability.test.ts"),
    );
  });

  it("rejects a sequential history whose last read is changed to a value it cannot have (property)", () => {
    fc.assert(
      fc.property(linearizableHistory, fc.constantFrom("a", "b", "c"), (h, key) => {
        // make every operation sequential: no two windows overlap
        const seq = h
          .filter((o) => o.return !== undefined)
          .map((o, i) => ({ ...o, call: i * 10, return: i * 10 + 1 }));
        const [truth] = applyKvAll(seq, key);
        const bad: KvOperation = {
          clientId: "reader",
          input: { op: "get", key },
          call: seq.length * 10,
          return: seq.length * 10 + 1,
          output: `${truth ?? ""}#`,
        };
        expect(checkOperations(kvModel, [...seq, bad]).outcome).toBe("illegal");
      }),
      fcParams(150, "linearizability.test.ts"),
    );
  });
});

/** A register history the search cannot settle within 2 x 10^7 steps (generated; see bench/histories.ts). */
const intractable = (key: string) =>
  registerHistory({ seed: 1, ops: 160, clients: 6, unknownRate: 0.1, corrupt: true, key });
/** A plainly illegal history: a read misses a write that completed before it began. */
const plainlyIllegal = (key: string): KvOperation[] => [
  op(1, { op: "put", key, value: "1" }, 0, 1, null),
  op(2, { op: "get", key }, 2, 3, "0"),
];

describe("linearizability checker: budget, memo and partitions", () => {
  it("finds an illegal key even when another key is intractable (the partitions take turns)", () => {
    // "a" sorts first: searched alone, it would use up the whole budget.
    const h = [...intractable("a"), ...plainlyIllegal("b")];
    const budget = { maxSteps: 1_000_000 };
    const r = checkOperations(kvModel, h, budget);
    expect(r.outcome).toBe("illegal");
    expect(r.failingPartition!.every((o) => o.input.key === "b")).toBe(true);
    // It took about one turn of each partition, not the budget.
    expect(r.steps).toBeLessThan(5_000);
    // The previous checker spent its whole budget on "a" and could not say.
    expect(checkOperationsBaseline(kvModel, h, budget).outcome).toBe("unknown");
    // And "a" alone is really undecided within that budget.
    expect(checkOperations(kvModel, intractable("a"), budget).outcome).toBe("unknown");
  });

  it("answers 'unknown' rather than throwing when the memo is full, whatever the step budget", () => {
    for (const maxSteps of [1e9, 1e15, Number.POSITIVE_INFINITY]) {
      const r = checkOperations(kvModel, intractable("a"), { maxSteps, maxMemoEntries: 50_000 });
      expect(r.outcome).toBe("unknown");
      expect(r.steps).toBeGreaterThan(50_000);
    }
  });

  it("the memo compares the set and the state behind a key: equal hashes never merge different pairs", () => {
    const budget = { entries: 0, words: 0, maxEntries: 100, maxWords: 1000 };
    const memo = new SearchMemo<string>(2, (a, b) => a === b, budget);
    const set1 = Uint32Array.of(1, 0);
    const set2 = Uint32Array.of(2, 0);
    // The same 64-bit key for all of them: a forced collision.
    expect(memo.add(7, 9, set1, "x")).toBe("new");
    expect(memo.add(7, 9, set2, "x")).toBe("new"); // another set
    expect(memo.add(7, 9, set1, "y")).toBe("new"); // another state
    expect(memo.add(7, 9, set1, "x")).toBe("seen");
    expect(memo.add(7, 9, set2, "x")).toBe("seen");
    expect(memo.size).toBe(3);
    // Enough entries to rehash several times; all still found.
    for (let i = 0; i < 90; i++) expect(memo.add(i, i * 31, Uint32Array.of(i, 1), "z")).toBe("new");
    for (let i = 0; i < 90; i++) expect(memo.add(i, i * 31, Uint32Array.of(i, 1), "z")).toBe("seen");
    // The budget is the limit.
    for (let i = 0; i < 7; i++) memo.add(1000 + i, 0, Uint32Array.of(0, 0), "w");
    expect(memo.add(5000, 0, Uint32Array.of(0, 0), "w")).toBe("full");
  });

  // Small histories with random intervals, outputs and lost writes: legal or not, by chance.
  const anyHistory = fc.array(
    fc.record({
      key: fc.constantFrom("a", "b"),
      kind: fc.constantFrom("get", "put", "cas"),
      value: fc.constantFrom("1", "2"),
      call: fc.integer({ min: 0, max: 40 }),
      length: fc.integer({ min: 1, max: 15 }),
      lost: fc.boolean(),
      answer: fc.constantFrom<KvOutput>(null, "1", "2", true, false),
    }),
    { maxLength: 14 },
  );

  it("agrees with the previous checker on random small histories, step for step (property)", () => {
    fc.assert(
      fc.property(anyHistory, (specs) => {
        const h = specs.map((s, i): KvOperation => {
          const input: KvInput =
            s.kind === "get"
              ? { op: "get", key: s.key }
              : s.kind === "cas"
                ? { op: "cas", key: s.key, expected: s.value, value: `${s.value}'` }
                : { op: "put", key: s.key, value: s.value };
          const output = s.kind === "put" ? null : s.answer;
          if (s.lost && s.kind !== "get") return { clientId: i, input, call: s.call };
          return { clientId: i, input, call: s.call, return: s.call + s.length, output };
        });
        const now = checkOperations(kvModel, h);
        const before = checkOperationsBaseline(kvModel, h);
        expect(now.outcome).toBe(before.outcome);
        // One partition, or all of them linearizable: the same search, the same steps.
        if (now.outcome === "ok" || new Set(h.map((o) => o.input.key)).size === 1)
          expect(now.steps).toBe(before.steps);
        if (now.outcome === "illegal") expect(now.longestLinearized).toBeDefined();
      }),
      fcParams(400, "linearizability.test.ts"),
    );
  });
});

function applyKvAll(h: KvOperation[], key: string): [string | null] {
  let s: string | null = null;
  for (const o of h) if (o.input.key === key) s = applyKv(s, o.input)[1];
  return [s];
}
