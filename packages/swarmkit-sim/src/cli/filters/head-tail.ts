// head and tail: the first or last lines of stdin. head -n N / -N / -n -N (all but the last N),
// tail -n N / -N / -n +N (from line N on). -c counts bytes instead. No files in the lab.
import { getopt } from "./getopt";
import { done, type Filter, type FilterResult, failed, joinLines, linesOf, q } from "./types";

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

function parseCount(
  tool: "head" | "tail",
  argv: readonly string[],
): { ok: true; count: Count; files: string[] } | { ok: false; result: FilterResult } {
  const r = getopt(tool, modernize(argv), {
    short: tool === "head" ? "n:c:qv" : "n:c:fFqvs:",
    long: { "lines=": "n", "bytes=": "c", quiet: "q", silent: "q", verbose: "v", follow: "f" },
  });
  if (!r.ok)
    return { ok: false, result: failed(`${r.error}\nTry '${tool} --help' for more information.`, 1) };
  let count: Count = { n: 10, sign: "", bytes: false };
  for (const [k, v] of r.parsed.options) {
    if (k !== "n" && k !== "c") continue;
    const m = /^([-+]?)(\d+)$/.exec(v.trim());
    if (!m) {
      const what = k === "n" ? "lines" : "bytes";
      return { ok: false, result: failed(`${tool}: invalid number of ${what}: ${q(v)}`, 1) };
    }
    count = { n: Number(m[2]), sign: m[1] as Count["sign"], bytes: k === "c" };
  }
  return { ok: true, count, files: r.parsed.operands };
}

function missingFiles(tool: string, files: readonly string[]): string {
  return files
    .filter((f) => f !== "-")
    .map((f) => `${tool}: cannot open ${q(f)} for reading: No such file or directory\n`)
    .join("");
}

export const head: Filter = (argv, stdin) => {
  const p = parseCount("head", argv);
  if (!p.ok) return p.result;
  const errors = missingFiles("head", p.files);
  const { n, sign, bytes } = p.count;
  let out: string;
  if (bytes) out = sign === "-" ? stdin.slice(0, Math.max(0, stdin.length - n)) : stdin.slice(0, n);
  else {
    const lines = linesOf(stdin);
    out = joinLines(sign === "-" ? lines.slice(0, Math.max(0, lines.length - n)) : lines.slice(0, n));
  }
  return errors ? { stdout: out, stderr: errors, exitCode: 1 } : done(out);
};

export const tail: Filter = (argv, stdin) => {
  const p = parseCount("tail", argv);
  if (!p.ok) return p.result;
  const errors = missingFiles("tail", p.files);
  const { n, sign, bytes } = p.count;
  let out: string;
  if (bytes) out = sign === "+" ? stdin.slice(Math.max(0, n - 1)) : n === 0 ? "" : stdin.slice(-n);
  else {
    const lines = linesOf(stdin);
    out = joinLines(sign === "+" ? lines.slice(Math.max(0, n - 1)) : n === 0 ? [] : lines.slice(-n));
  }
  return errors ? { stdout: out, stderr: errors, exitCode: 1 } : done(out);
};
