// PendingCalls keeps a client's unanswered calls in call order, the first in a field.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fcParams } from "../src/testing/fc-params";
import { PendingCalls } from "../src/transport/pending-calls";

describe("PendingCalls", () => {
  it("behaves as a Map in insertion order under any adds and deletes", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant("add" as const), fc.nat(20)), { maxLength: 60 }), (ops) => {
        const calls = new PendingCalls<{ id: number }>();
        const ref = new Map<number, { id: number }>();
        let next = 1;
        for (const op of ops) {
          if (op === "add") {
            const p = { id: next++ };
            calls.add(p);
            ref.set(p.id, p);
          } else {
            expect(calls.delete(op)).toBe(ref.delete(op));
          }
          expect(calls.size).toBe(ref.size);
          expect(calls.list()).toEqual([...ref.values()]);
          for (let id = 0; id <= next; id++) expect(calls.get(id)).toBe(ref.get(id));
        }
      }),
      fcParams(200),
    );
  });

  it("list() is a copy: finishing calls while iterating is safe", () => {
    const calls = new PendingCalls<{ id: number }>();
    for (let id = 1; id <= 3; id++) calls.add({ id });
    for (const p of calls.list()) calls.delete(p.id);
    expect(calls.size).toBe(0);
  });
});
