// Output formatters: the tabwriter against the Docker CLI's golden (SWARMKIT.md §6.1), go-units
// durations and sizes, Go duration strings, natural order, PrettyPrint, ID truncation, Ellipsis.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bytesSize,
  DOCKER_TABLE,
  ellipsis,
  formatGoDuration,
  goFormatG,
  humanDuration,
  humanSize,
  humanSizeWithPrecision,
  naturalLess,
  naturalSort,
  prettyPrint,
  tabwriteText,
  tabwriter,
  taskStateAgo,
  timeAgo,
  truncateId,
} from "../src/cli/format/index";
import { parseGoDuration, parseSleepDuration } from "../src/cli/grammar/go-values";
import { fcParams } from "../src/testing/fc-params";

const S = 1000;
const M = 60 * S;
const H = 60 * M;

describe("tabwriter (minwidth 10, tabwidth 1, padding 3, spaces)", () => {
  it("matches cli/command/node/testdata/node-list-sort.golden", () => {
    const rows = [
      ["ID  ", "HOSTNAME", "STATUS", "AVAILABILITY", "MANAGER STATUS", "ENGINE VERSION"],
      ["nodeID3  ", "node-1-foo", "Ready", "Active", "", "1.13.0"],
      ["nodeID1 *", "node-2-foo", "Ready", "Active", "Leader", "."],
      ["nodeID2  ", "node-10-foo", "Ready", "Active", "Reachable", "18.03.0-ce"],
    ];
    expect(tabwriter(rows, DOCKER_TABLE)).toBe(
      [
        "ID          HOSTNAME      STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION",
        "nodeID3     node-1-foo    Ready     Active                          1.13.0",
        "nodeID1 *   node-2-foo    Ready     Active         Leader           .",
        "nodeID2     node-10-foo   Ready     Active         Reachable        18.03.0-ce",
        "",
      ].join("\n"),
    );
  });

  it("the last cell of a line is not padded; a line without tabs ends a block of columns", () => {
    expect(tabwriteText("a\tb\nlonger-cell\tc\n")).toBe("a             b\nlonger-cell   c\n");
    expect(tabwriteText("a\tb\nno tabs here\nlonger-cell\tc\n")).toBe(
      "a         b\nno tabs here\nlonger-cell   c\n",
    );
    expect(tabwriteText("x\ty\tz\nx\ty\n")).toBe("x         y         z\nx         y\n");
    expect(tabwriter([])).toBe("");
  });

  it("counts wide characters as two columns (go-runewidth)", () => {
    expect(tabwriteText("日本\tx\nab\ty\n", { minwidth: 0, padding: 1 })).toBe("日本 x\nab   y\n");
  });

  it("property: column j starts at the sum of the widths before it, on every row", () => {
    const cell = fc.stringMatching(/^[a-z0-9 .*-]{0,14}$/);
    const table = fc
      .integer({ min: 2, max: 5 })
      .chain((n) => fc.array(fc.array(cell, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 6 }));
    fc.assert(
      fc.property(table, (rows) => {
        const lines = tabwriter(rows, DOCKER_TABLE).split("\n");
        expect(lines.pop()).toBe("");
        const widths = rows[0].map((_, j) => Math.max(10, ...rows.map((r) => r[j].length + 3)));
        rows.forEach((row, r) => {
          let offset = 0;
          row.forEach((text, j) => {
            expect(lines[r].slice(offset, offset + text.length)).toBe(text);
            if (j < row.length - 1)
              expect(lines[r].slice(offset + text.length, offset + widths[j]).trim()).toBe("");
            offset += widths[j];
          });
          expect(lines[r].length).toBe(offset - widths[row.length - 1] + row[row.length - 1].length);
        });
      }),
      fcParams(100),
    );
  });
});

describe("humanDuration (go-units)", () => {
  it.each([
    [0, "Less than a second"],
    [999, "Less than a second"],
    [1 * S, "1 second"],
    [8 * S, "8 seconds"],
    [59 * S, "59 seconds"],
    [60 * S, "About a minute"],
    [119 * S, "About a minute"],
    [2 * M, "2 minutes"],
    [59 * M, "59 minutes"],
    [60 * M, "About an hour"],
    [89 * M, "About an hour"],
    [90 * M, "2 hours"],
    [47 * H, "47 hours"],
    [48 * H, "2 days"],
    [13 * 24 * H, "13 days"],
    [14 * 24 * H, "2 weeks"],
    [59 * 24 * H, "8 weeks"],
    [2160 * H, "3 months"],
    [729 * 24 * H, "24 months"],
    [730 * 24 * H, "2 years"],
  ])("%d ms -> %s", (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it("timeAgo and the task CURRENT STATE column", () => {
    expect(timeAgo(90 * S)).toBe("About a minute ago");
    expect(timeAgo(90 * S, { lower: true })).toBe("about a minute ago");
    expect(taskStateAgo("running", 8 * S)).toBe("Running 8 seconds ago");
    expect(taskStateAgo("SHUTDOWN", 2 * H)).toBe("Shutdown 2 hours ago");
  });
});

describe("Go durations", () => {
  it.each([
    [2160 * H, "2160h0m0s"],
    [5 * S, "5s"],
    [90 * S, "1m30s"],
    [1.5 * S, "1.5s"],
    [500, "500ms"],
    [0, "0s"],
    [0.0015, "1.5µs"],
    [0.000001, "1ns"],
    [H, "1h0m0s"],
    [-5 * S, "-5s"],
  ])("formatGoDuration(%d) = %s", (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });

  it("parses Go syntax and rejects what Go rejects", () => {
    expect(parseGoDuration("2160h0m0s")).toEqual({ ok: true, value: 2160 * H });
    expect(parseGoDuration("1m30s")).toEqual({ ok: true, value: 90 * S });
    expect(parseGoDuration("1.5h")).toEqual({ ok: true, value: 1.5 * H });
    expect(parseGoDuration("300ms")).toEqual({ ok: true, value: 300 });
    expect(parseGoDuration("-1.5s")).toEqual({ ok: true, value: -1500 });
    expect(parseGoDuration("0")).toEqual({ ok: true, value: 0 });
    expect(parseGoDuration("10")).toEqual({ ok: false, error: 'time: missing unit in duration "10"' });
    expect(parseGoDuration("5x")).toEqual({ ok: false, error: 'time: unknown unit "x" in duration "5x"' });
    expect(parseGoDuration("")).toEqual({ ok: false, error: 'time: invalid duration ""' });
    expect(parseGoDuration(".s")).toEqual({ ok: false, error: 'time: invalid duration ".s"' });
    expect(parseGoDuration("3000000h")).toEqual({ ok: false, error: 'time: invalid duration "3000000h"' });
  });

  it("sleep's words: bare seconds, a unit s/m/h/d, or Go's compound form", () => {
    expect(parseSleepDuration("30")).toBe(30 * S);
    expect(parseSleepDuration("1.5")).toBe(1.5 * S);
    expect(parseSleepDuration(".5")).toBe(0.5 * S);
    expect(parseSleepDuration("2m")).toBe(2 * M);
    expect(parseSleepDuration("1d")).toBe(24 * H);
    expect(parseSleepDuration("1h30m")).toBe(90 * M);
    expect(parseSleepDuration("500ms")).toBe(500);
    for (const bad of ["", "ten", "1h30", "-5", "-1s", "+1s", "5x", "1d2"])
      expect(parseSleepDuration(bad)).toBeUndefined();
    // Go's own parser still refuses "d", which only sleep knows.
    expect(parseGoDuration("1d").ok).toBe(false);
  });

  it("property: formatting then parsing gives the value back (whole nanoseconds)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (ns) => {
        const ms = Number(ns) / 1e6;
        const back = parseGoDuration(formatGoDuration(ms));
        expect(back.ok && Math.round(back.value * 1e6)).toBe(Math.round(ms * 1e6));
      }),
      fcParams(300),
    );
  });
});

describe("sizes, natural order, text", () => {
  it("go-units BytesSize and HumanSizeWithPrecision", () => {
    expect(bytesSize(0)).toBe("0B");
    expect(bytesSize(512)).toBe("512B");
    expect(bytesSize(1536 * 1024)).toBe("1.5MiB");
    expect(bytesSize(2087354368)).toBe("1.944GiB");
    expect(bytesSize(1023.99)).toBe("1024B");
    expect(humanSizeWithPrecision(1234, 3)).toBe("1.23kB");
    expect(humanSizeWithPrecision(648, 3)).toBe("648B");
    expect(humanSizeWithPrecision(2_746_000, 4)).toBe("2.746MB");
    // What docker stats prints (go-units BytesSize and HumanSizeWithPrecision).
    expect(bytesSize(18.6 * 1024 * 1024)).toBe("18.6MiB");
    expect(bytesSize(4 * 1024 ** 3)).toBe("4GiB");
    expect(bytesSize(3.6133 * 1024 * 1024)).toBe("3.613MiB");
    expect(bytesSize(1023)).toBe("1023B");
    expect(humanSizeWithPrecision(0, 3)).toBe("0B");
    expect(humanSize(1_500_000)).toBe("1.5MB");
    expect(goFormatG(999.96, 3)).toBe("1e+03");
    expect(goFormatG(0.5, 3)).toBe("0.5");
  });

  it("sortorder.NaturalLess", () => {
    expect(naturalSort(["node-10", "node-2", "node-1"])).toEqual(["node-1", "node-2", "node-10"]);
    expect(naturalLess("a1", "a01")).toBe(true);
    expect(naturalLess("a01", "a1")).toBe(false);
    expect(naturalLess("1", "a")).toBe(true); // digits before other characters
    expect(naturalLess("abc", "abcd")).toBe(true);
    expect(naturalLess("x", "x")).toBe(false);
  });

  it("PrettyPrint, TruncateID, Ellipsis", () => {
    expect(prettyPrint("READY")).toBe("Ready");
    expect(prettyPrint("active")).toBe("Active");
    expect(prettyPrint("")).toBe("");
    expect(truncateId("0123456789abcdefghijklmno")).toBe("0123456789ab");
    expect(truncateId("sha256:0123456789abcdef")).toBe("0123456789ab");
    expect(truncateId("short")).toBe("short");
    expect(ellipsis("no suitable node (scheduling constraints not satisfied)", 30)).toBe(
      "no suitable node (scheduling …",
    );
    expect(ellipsis("short", 30)).toBe("short");
    expect(ellipsis("abc", 1)).toBe("a");
  });
});
