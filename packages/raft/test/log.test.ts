import { describe, expect, it } from "vitest";
import { RaftLog, UNKNOWN_TERM } from "../src/log";
import { entries } from "./helpers";

const logOf = (terms: number[], commit = 0) => RaftLog.restore(undefined, entries(terms), commit);

describe("RaftLog", () => {
  it("answers terms, including the compaction point, and UNKNOWN outside", () => {
    const log = logOf([1, 1, 2, 3]);
    expect([0, 1, 3, 4].map((i) => log.term(i))).toEqual([0, 1, 2, 3]);
    expect(log.term(5)).toBe(UNKNOWN_TERM);
    log.commitTo(3);
    log.appliedTo(3);
    log.compact(2);
    expect(log.term(2)).toBe(1);
    expect(log.term(1)).toBe(UNKNOWN_TERM);
    expect(log.firstIndex()).toBe(3);
    expect(log.entriesFrom(2, 10)).toBeUndefined();
    expect(log.entriesFrom(3, 1)!.map((e) => e.index)).toEqual([3]);
  });

  it("finds the first conflicting entry, and the last index of a term no newer than asked", () => {
    const log = logOf([1, 1, 2, 2, 3]);
    expect(log.findConflict(entries([1, 1, 2]))).toBe(0);
    expect(log.findConflict(entries([1, 1, 2, 4]))).toBe(4);
    expect(log.findConflictByTerm(5, 2)).toBe(4);
    expect(log.findConflictByTerm(5, 1)).toBe(2);
    expect(log.findConflictByTerm(5, 0)).toBe(0);
    expect(log.findConflictByTerm(9, 1)).toBe(9); // beyond the log: nothing to skip
  });

  it("maybeAppend truncates a conflicting suffix, keeps a matching one, and moves commit", () => {
    const log = logOf([1, 1, 2, 2]);
    expect(log.maybeAppend(2, 2, 9, [])).toBe(-1); // prev mismatch
    const ents = entries([1, 1, 3]).slice(2);
    expect(log.maybeAppend(2, 1, 3, ents)).toBe(3);
    expect(log.lastIndex()).toBe(3);
    expect(log.term(3)).toBe(3);
    expect(log.committed).toBe(3);
    // a stale, shorter append must not truncate what follows a match
    expect(log.maybeAppend(1, 1, 0, entries([1, 1]).slice(1))).toBe(2);
    expect(log.lastIndex()).toBe(3);
  });

  it("refuses to rewrite a committed entry or to commit beyond the end", () => {
    const log = logOf([1, 1, 1], 2);
    expect(() => log.maybeAppend(1, 1, 2, [{ term: 2, index: 2, type: "normal", data: 0 }])).toThrow(
      "conflicts with a committed entry",
    );
    expect(() => log.commitTo(7)).toThrow("out of range");
  });

  it("tracks what is unstable until the host acknowledges it", () => {
    const log = new RaftLog();
    log.append(entries([1, 1]));
    expect(log.unstableEntries().map((e) => e.index)).toEqual([1, 2]);
    log.stableTo(2, 1);
    expect(log.hasUnstable()).toBe(false);
    log.append([{ term: 2, index: 2, type: "normal", data: 0 }]);
    expect(log.unstableEntries().map((e) => e.index)).toEqual([2]);
    log.stableTo(2, 1); // stale acknowledgement of the replaced entry
    expect(log.hasUnstable()).toBe(true);
  });

  it("up-to-date comparison: later last term wins, then longer log", () => {
    const log = logOf([1, 2, 2]);
    expect(log.isUpToDate(1, 3)).toBe(true);
    expect(log.isUpToDate(9, 1)).toBe(false);
    expect(log.isUpToDate(3, 2)).toBe(true);
    expect(log.isUpToDate(2, 2)).toBe(false);
  });

  it("restores from a snapshot plus entries, and rejects gaps", () => {
    const snap = { metadata: { index: 5, term: 2, confState: { voters: [1] } }, data: null };
    const log = RaftLog.restore(snap, [{ term: 2, index: 6, type: "normal", data: 0 }], 6);
    expect([log.firstIndex(), log.lastIndex(), log.committed, log.applied]).toEqual([6, 6, 6, 5]);
    expect(() => RaftLog.restore(snap, [{ term: 2, index: 8, type: "normal", data: 0 }], 0)).toThrow(
      "not contiguous",
    );
  });
});
