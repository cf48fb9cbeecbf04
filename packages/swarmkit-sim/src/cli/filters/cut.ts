// cut: select fields (-d C -f LIST), characters (-c LIST) or bytes (-b LIST) of each line of
// stdin or of files. LIST is N, N-M, N- or -M, comma separated; -s drops lines without the
// delimiter. A file that cannot be read is reported and the others are cut (exit 1).
import { getopt } from "./getopt";
import { inputsOf } from "./inputs";
import { type Filter, FilterOutput, failed, linesOf, q, readError } from "./types";

const TRY = "Try 'cut --help' for more information.";

type Range = [number, number];

function parseList(list: string, what: "field" | "byte/character"): Range[] | string {
  const ranges: Range[] = [];
  for (const item of list.split(",")) {
    const m = /^(\d*)(-?)(\d*)$/.exec(item);
    if (!m || item === "" || item === "-")
      return `cut: invalid ${what === "field" ? "field" : "byte/character"} value ${q(item)}`;
    const lo = m[1] === "" ? 1 : Number(m[1]);
    const hi = m[2] === "" ? lo : m[3] === "" ? Number.POSITIVE_INFINITY : Number(m[3]);
    if (lo === 0 || hi === 0)
      return what === "field"
        ? "cut: fields are numbered from 1"
        : "cut: byte/character positions are numbered from 1";
    if (hi < lo) return "cut: invalid decreasing range";
    ranges.push([lo, hi]);
  }
  return ranges;
}

const selected = (ranges: Range[], i: number) => ranges.some(([lo, hi]) => i >= lo && i <= hi);

export const cut: Filter = (argv, stdin, readFile) => {
  const r = getopt("cut", argv, {
    short: "d:f:c:b:s",
    long: { "delimiter=": "d", "fields=": "f", "characters=": "c", "bytes=": "b", "only-delimited": "s" },
  });
  if (!r.ok) return failed(`${r.error}\n${TRY}`, 1);
  const opts = new Map(r.parsed.options);
  const delim = opts.get("d") ?? "\t";
  if ([...delim].length !== 1) return failed(`cut: the delimiter must be a single character\n${TRY}`, 1);
  const listText = opts.get("f") ?? opts.get("c") ?? opts.get("b");
  if (listText === undefined)
    return failed(`cut: you must specify a list of bytes, characters, or fields\n${TRY}`, 1);
  const byFields = opts.has("f");
  const ranges = parseList(listText, byFields ? "field" : "byte/character");
  if (typeof ranges === "string") return failed(`${ranges}\n${TRY}`, 1);
  const cutLine = (line: string): string | undefined => {
    if (!byFields) return [...line].filter((_, i) => selected(ranges, i + 1)).join("");
    if (!line.includes(delim)) return opts.has("s") ? undefined : line;
    return line
      .split(delim)
      .filter((_, i) => selected(ranges, i + 1))
      .join(delim);
  };
  const o = new FilterOutput();
  let status = 0;
  for (const { name, read } of inputsOf(r.parsed.operands, stdin, readFile)) {
    if (read.kind !== "file") {
      o.err(`cut: ${name}: ${readError(read)}\n`);
      status = 1;
      continue;
    }
    for (const line of linesOf(read.text)) {
      const kept = cutLine(line);
      if (kept !== undefined) o.out(`${kept}\n`);
    }
  }
  return o.result(status);
};
