// grep: select lines of stdin matching patterns. GNU grep's options that make sense in a lab
// pipe: -i -v -E -F -G -c -w -x -q -n -o -e, and context lines -A -B -C (groups of lines that
// are not adjacent are separated by "--"; with -n, context lines are numbered "N-"). Exit 0
// when a line was selected, 1 when none was, 2 on a usage or pattern error.
import { getopt } from "./getopt";
import { escapeLiteral, posixToJs, RegexError } from "./regex";
import { type Filter, failed, joinLines, linesOf } from "./types";

const USAGE = "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.";

export const grep: Filter = (argv, stdin) => {
  const r = getopt("grep", argv, {
    short: "ivEFGcwxqsnohHe:A:B:C:",
    long: {
      "ignore-case": "i",
      "invert-match": "v",
      "extended-regexp": "E",
      "fixed-strings": "F",
      "basic-regexp": "G",
      count: "c",
      "word-regexp": "w",
      "line-regexp": "x",
      quiet: "q",
      silent: "q",
      "no-messages": "s",
      "line-number": "n",
      "only-matching": "o",
      "no-filename": "h",
      "with-filename": "H",
      "regexp=": "e",
      "after-context=": "A",
      "before-context=": "B",
      "context=": "C",
    },
  });
  if (!r.ok) return failed(`${r.error}\n${USAGE}`, 2);
  let after = 0;
  let before = 0;
  for (const [k, v] of r.parsed.options) {
    if (k !== "A" && k !== "B" && k !== "C") continue;
    if (!/^\d+$/.test(v)) return failed(`grep: ${v}: invalid context length argument`, 2);
    const n = Number(v);
    if (k !== "B") after = n;
    if (k !== "A") before = n;
  }
  const has = (k: string) => r.parsed.options.some(([key]) => key === k);
  let mode: "G" | "E" | "F" = "G";
  for (const [k] of r.parsed.options) if (k === "E" || k === "F" || k === "G") mode = k;
  const operands = [...r.parsed.operands];
  let patterns = r.parsed.options.filter(([k]) => k === "e").map(([, v]) => v);
  if (patterns.length === 0) {
    if (operands.length === 0) return failed(USAGE, 2);
    patterns = [operands.shift()!];
  }
  // A pattern containing newlines is several patterns.
  patterns = patterns.flatMap((p) => p.split("\n"));
  let errors = "";
  for (const file of operands) {
    if (file !== "-" && !has("s")) errors += `grep: ${file}: No such file or directory\n`;
  }
  let re: RegExp;
  try {
    const sources = patterns.map((p) => (mode === "F" ? escapeLiteral(p) : posixToJs(p, mode === "E")));
    let body = sources.map((s) => `(?:${s})`).join("|");
    if (has("x")) body = `^(?:${body})$`;
    else if (has("w")) body = `(?<![A-Za-z0-9_])(?:${body})(?![A-Za-z0-9_])`;
    re = new RegExp(body, has("i") ? "gi" : "g");
  } catch (e) {
    const msg = e instanceof RegexError ? e.message : "Invalid regular expression";
    return failed(`grep: ${msg}`, 2);
  }
  const invert = has("v");
  const selected: string[] = [];
  let count = 0;
  const lines = operands.length === 0 || operands.includes("-") ? linesOf(stdin) : [];
  const context = (after > 0 || before > 0) && !has("o");
  /** The last line printed (for context: what is already out, and where "--" goes). */
  let printed = -1;
  const contextLine = (i: number) => selected.push((has("n") ? `${i + 1}-` : "") + lines[i]);
  let trailing = 0;
  lines.forEach((line, index) => {
    re.lastIndex = 0;
    const matches = re.test(line);
    if (matches === invert) {
      if (context && trailing > 0 && !has("q") && !has("c")) {
        contextLine(index);
        printed = index;
        trailing--;
      }
      return;
    }
    count++;
    if (has("q") || has("c")) return;
    if (context) {
      const from = Math.max(printed + 1, index - before);
      if (printed >= 0 && from > printed + 1) selected.push("--");
      for (let i = from; i < index; i++) contextLine(i);
      printed = index;
      trailing = after;
    }
    const prefix = has("n") ? `${index + 1}:` : "";
    if (has("o") && !invert) {
      re.lastIndex = 0;
      for (const m of line.matchAll(re)) if (m[0] !== "") selected.push(prefix + m[0]);
    } else selected.push(prefix + line);
  });
  const status = errors !== "" && !has("q") ? 2 : count > 0 ? 0 : 1;
  if (has("q")) return { stdout: "", stderr: errors, exitCode: count > 0 ? 0 : status };
  const stdout = has("c") ? `${count}\n` : joinLines(selected);
  return { stdout, stderr: errors, exitCode: errors !== "" ? 2 : status };
};
