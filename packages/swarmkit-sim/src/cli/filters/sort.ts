// sort: order the lines of stdin or of files (all of them together). Byte order (the C.UTF-8
// locale of the lab's hosts), with -r reverse, -n numeric, -V version (natural) order, -u unique, -f fold case, -k FIELD[,FIELD]
// and -t SEP for keys. Equal keys fall back to comparing whole lines, as GNU sort does.
import { naturalCompare } from "../format/natural-sort";
import { getopt } from "./getopt";
import { inputsOf } from "./inputs";
import { done, type Filter, failed, joinLines, linesOf, q } from "./types";

interface Key {
  start: number;
  end?: number;
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function numericPrefix(s: string): number {
  const m = /^\s*(-?\d*(?:\.\d+)?)/.exec(s);
  const v = m ? Number(m[1]) : Number.NaN;
  return Number.isFinite(v) ? v : 0;
}

function fields(line: string, sep: string | undefined): string[] {
  if (sep !== undefined) return line.split(sep);
  // Without -t a field is a run of blanks followed by non-blanks (leading blanks belong to it).
  return line.match(/[ \t]*[^ \t]+|[ \t]+$/g) ?? [""];
}

function keyOf(line: string, key: Key | undefined, sep: string | undefined): string {
  if (!key) return line;
  const f = fields(line, sep);
  const end = key.end ?? f.length;
  return f.slice(key.start - 1, end).join(sep ?? "");
}

export const sort: Filter = (argv, stdin, readFile) => {
  const r = getopt("sort", argv, {
    short: "rnuVfbk:t:s",
    long: {
      reverse: "r",
      "numeric-sort": "n",
      unique: "u",
      "version-sort": "V",
      "ignore-case": "f",
      "ignore-leading-blanks": "b",
      "key=": "k",
      "field-separator=": "t",
      stable: "s",
    },
  });
  if (!r.ok) return failed(`${r.error}\nTry 'sort --help' for more information.`, 2);
  const has = (k: string) => r.parsed.options.some(([key]) => key === k);
  // sort reads every input before it writes anything; the first one it cannot read ends it.
  let text = "";
  for (const { name, read } of inputsOf(r.parsed.operands, stdin, readFile)) {
    if (read.kind === "missing") return failed(`sort: cannot read: ${name}: No such file or directory`, 2);
    if (read.kind === "directory") return failed(`sort: read failed: ${name}: Is a directory`, 2);
    text += read.text.endsWith("\n") || read.text === "" ? read.text : `${read.text}\n`;
  }
  let key: Key | undefined;
  let sep: string | undefined;
  for (const [k, v] of r.parsed.options) {
    if (k === "t") {
      if ([...v].length !== 1) return failed(`sort: multi-character tab ${q(v)}`, 2);
      sep = v;
    }
    if (k === "k") {
      const m = /^(\d+)(?:\.\d+)?[a-zA-Z]*(?:,(\d+)(?:\.\d+)?[a-zA-Z]*)?$/.exec(v);
      if (!m) return failed(`sort: invalid number at field start: invalid count at start of ${q(v)}`, 2);
      if (Number(m[1]) === 0)
        return failed(`sort: field number is zero: invalid field specification ${q(v)}`, 2);
      key = { start: Number(m[1]), end: m[2] === undefined ? undefined : Number(m[2]) };
    }
  }
  const norm = (s: string) => {
    let k = keyOf(s, key, sep);
    if (has("b")) k = k.trimStart();
    return has("f") ? k.toUpperCase() : k;
  };
  const compareKeys = (a: string, b: string): number => {
    const ka = norm(a);
    const kb = norm(b);
    if (has("n")) return numericPrefix(ka) - numericPrefix(kb);
    if (has("V")) return naturalCompare(ka, kb);
    return byteCompare(ka, kb);
  };
  const sign = has("r") ? -1 : 1;
  const lines = linesOf(text);
  const sorted = [...lines].sort((a, b) => {
    const c = compareKeys(a, b);
    if (c !== 0 || has("u") || has("s")) return sign * c;
    return sign * byteCompare(a, b);
  });
  const out = has("u") ? sorted.filter((l, i) => i === 0 || compareKeys(sorted[i - 1], l) !== 0) : sorted;
  return done(joinLines(out));
};
