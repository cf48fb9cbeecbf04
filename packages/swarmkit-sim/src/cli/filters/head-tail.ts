// head and tail: the first or last lines of stdin or of files. head -n N / -N / -n -N (all but
// the last N), tail -n N / -N / -n +N (from line N on). -c counts bytes instead. With several
// inputs each gets a "==> NAME <==" header (-q: none, -v: even for one), as GNU's do.
import { getopt } from "./getopt";
import { inputsOf } from "./inputs";
import {
  type FileReader,
  type Filter,
  type FilterResult,
  FilterOutput,
  failed,
  joinLines,
  linesOf,
  q,
  quoteFile,
} from "./types";

interface Count {
  n: number;
  /** head: "-N" means all but the last N; tail: "+N" means starting at line N. */
  sign: "" | "-" | "+";
  bytes: boolean;
}

/** Turns the obsolete "-5" form into "-n 5" (only as the first argument, as GNU does). */
function modernize(argv: readonly string[]): string[] {
  const out = [...argv];
  if (out.length > 0 && /^[-+]\d+$/.test(out[0]) && !(out[0].startsWith("+") && out.length > 1)) {
    out.splice(0, 1, "-n", out[0].startsWith("-") ? out[0].slice(1) : out[0]);
  }
  return out;
}

interface Parsed {
  count: Count;
  files: string[];
  /** -q (never) or -v (always); otherwise headers when there are several inputs. */
  headers: "auto" | "never" | "always";
}

function parseArgs(
  tool: "head" | "tail",
  argv: readonly string[],
): { ok: true; parsed: Parsed } | { ok: false; result: FilterResult } {
  const r = getopt(tool, modernize(argv), {
    short: tool === "head" ? "n:c:qv" : "n:c:fFqvs:",
    long: { "lines=": "n", "bytes=": "c", quiet: "q", silent: "q", verbose: "v", follow: "f" },
  });
  if (!r.ok)
    return { ok: false, result: failed(`${r.error}\nTry '${tool} --help' for more information.`, 1) };
  let count: Count = { n: 10, sign: "", bytes: false };
  let headers: Parsed["headers"] = "auto";
  for (const [k, v] of r.parsed.options) {
    if (k === "q") headers = "never";
    if (k === "v") headers = "always";
    if (k !== "n" && k !== "c") continue;
    const m = /^([-+]?)(\d+)$/.exec(v.trim());
    if (!m) {
      const what = k === "n" ? "lines" : "bytes";
      return { ok: false, result: failed(`${tool}: invalid number of ${what}: ${q(v)}`, 1) };
    }
    count = { n: Number(m[2]), sign: m[1] as Count["sign"], bytes: k === "c" };
  }
  return { ok: true, parsed: { count, files: r.parsed.operands, headers } };
}

function headOf(text: string, { n, sign, bytes }: Count): string {
  if (bytes) return sign === "-" ? text.slice(0, Math.max(0, text.length - n)) : text.slice(0, n);
  const lines = linesOf(text);
  return joinLines(sign === "-" ? lines.slice(0, Math.max(0, lines.length - n)) : lines.slice(0, n));
}

function tailOf(text: string, { n, sign, bytes }: Count): string {
  if (bytes) return sign === "+" ? text.slice(Math.max(0, n - 1)) : n === 0 ? "" : text.slice(-n);
  const lines = linesOf(text);
  return joinLines(sign === "+" ? lines.slice(Math.max(0, n - 1)) : n === 0 ? [] : lines.slice(-n));
}

/**
 * Each input in turn: a missing file fails to open (no header); a directory opens, so its
 * header comes before the read error; stdin is "standard input" in a header.
 */
function run(
  tool: "head" | "tail",
  argv: readonly string[],
  stdin: string,
  readFile: FileReader | undefined,
  part: (text: string, count: Count) => string,
): FilterResult {
  const p = parseArgs(tool, argv);
  if (!p.ok) return p.result;
  const { count, files, headers } = p.parsed;
  const inputs = inputsOf(files, stdin, readFile);
  const withHeaders = headers === "always" || (headers === "auto" && inputs.length > 1);
  const o = new FilterOutput();
  let first = true;
  let status = 0;
  for (const { name, read } of inputs) {
    if (read.kind === "missing") {
      o.err(`${tool}: cannot open ${quoteFile(name)} for reading: No such file or directory\n`);
      status = 1;
      continue;
    }
    if (withHeaders) o.out(`${first ? "" : "\n"}==> ${name === "-" ? "standard input" : name} <==\n`);
    first = false;
    if (read.kind === "directory") {
      o.err(`${tool}: error reading ${quoteFile(name)}: Is a directory\n`);
      status = 1;
      continue;
    }
    o.out(part(read.text, count));
  }
  return o.result(status);
}

export const head: Filter = (argv, stdin, readFile) => run("head", argv, stdin, readFile, headOf);

export const tail: Filter = (argv, stdin, readFile) => run("tail", argv, stdin, readFile, tailOf);
