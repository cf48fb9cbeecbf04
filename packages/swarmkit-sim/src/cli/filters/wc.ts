// wc: count lines, words and bytes of stdin. Reading a pipe, GNU wc pads every count to 7
// columns when it prints more than one, and prints a lone count bare ("3").
import { getopt } from "./getopt";
import { done, type Filter, failed } from "./types";

export const wc: Filter = (argv, stdin) => {
  const r = getopt("wc", argv, {
    short: "lwcmL",
    long: { lines: "l", words: "w", bytes: "c", chars: "m", "max-line-length": "L" },
  });
  if (!r.ok) return failed(`${r.error}\nTry 'wc --help' for more information.`, 1);
  const files = r.parsed.operands.filter((f) => f !== "-");
  if (files.length > 0) {
    return failed(files.map((f) => `wc: ${f}: No such file or directory`).join("\n"), 1);
  }
  const keys = new Set(r.parsed.options.map(([k]) => k));
  if (keys.size === 0) for (const k of ["l", "w", "c"]) keys.add(k);
  const lines = stdin.split("\n");
  const counts: Record<string, number> = {
    l: lines.length - 1,
    w: stdin.split(/[ \t\n\r\f\v]+/).filter((w) => w !== "").length,
    m: [...stdin].length,
    c: Buffer.byteLength(stdin, "utf8"),
    L: lines.reduce((m, l) => Math.max(m, [...l].length), 0),
  };
  const order = ["l", "w", "m", "c", "L"].filter((k) => keys.has(k));
  const width = order.length === 1 ? 1 : 7;
  return done(`${order.map((k) => String(counts[k]).padStart(width)).join(" ")}\n`);
};
