// wc: count lines, words and bytes of stdin or of files, one line per input and a "total" line
// when there are several. Counts are padded to one width, as GNU wc computes it: the digits of
// the regular files' total size, at least 7 when an input is not a regular file (a pipe, a
// directory), and no padding for a lone count of a single input ("3", "30 dockercoins.yml").
import { getopt } from "./getopt";
import { inputsOf } from "./inputs";
import { type Filter, FilterOutput, failed } from "./types";

const ORDER = ["l", "w", "m", "c", "L"] as const;
type Key = (typeof ORDER)[number];
type Counts = Record<Key, number>;

function countsOf(text: string): Counts {
  const lines = text.split("\n");
  return {
    l: lines.length - 1,
    w: text.split(/[ \t\n\r\f\v]+/).filter((w) => w !== "").length,
    m: [...text].length,
    c: Buffer.byteLength(text, "utf8"),
    // Not Math.max(...lines): a spread of a million lines overflows the call stack.
    L: lines.reduce((m, l) => Math.max(m, [...l].length), 0),
  };
}

const ZERO: Counts = { l: 0, w: 0, m: 0, c: 0, L: 0 };

export const wc: Filter = (argv, stdin, readFile) => {
  const r = getopt("wc", argv, {
    short: "lwcmL",
    long: { lines: "l", words: "w", bytes: "c", chars: "m", "max-line-length": "L" },
  });
  if (!r.ok) return failed(`${r.error}\nTry 'wc --help' for more information.`, 1);
  const keys = new Set(r.parsed.options.map(([k]) => k));
  if (keys.size === 0) for (const k of ["l", "w", "c"]) keys.add(k);
  const order = ORDER.filter((k) => keys.has(k));
  const operands = r.parsed.operands;
  const inputs = inputsOf(operands, stdin, readFile);
  // GNU stats every input first (but not a lone input printing a lone count) for the width.
  let width = 1;
  if (!(inputs.length === 1 && order.length === 1)) {
    let regularBytes = 0;
    let minimum = 1;
    for (const { name, read } of inputs) {
      if (read.kind === "missing") continue;
      if (read.kind === "file" && name !== "-") regularBytes += Buffer.byteLength(read.text, "utf8");
      else minimum = 7;
    }
    width = Math.max(minimum, String(regularBytes).length);
  }
  const line = (c: Counts, name?: string) =>
    `${order.map((k) => String(c[k]).padStart(width)).join(" ")}${name === undefined ? "" : ` ${name}`}\n`;
  const o = new FilterOutput();
  const total: Counts = { ...ZERO };
  let status = 0;
  for (const { name, read } of inputs) {
    if (read.kind === "missing") {
      o.err(`wc: ${name}: No such file or directory\n`);
      status = 1;
      continue;
    }
    // A directory opens; its read fails, and wc still prints the (zero) counts it got.
    if (read.kind === "directory") {
      o.err(`wc: ${name}: Is a directory\n`);
      status = 1;
    }
    const c = read.kind === "file" ? countsOf(read.text) : ZERO;
    for (const k of ORDER) total[k] = k === "L" ? Math.max(total.L, c.L) : total[k] + c[k];
    o.out(line(c, operands.length === 0 ? undefined : name));
  }
  if (inputs.length > 1) o.out(line(total, "total"));
  return o.result(status);
};
