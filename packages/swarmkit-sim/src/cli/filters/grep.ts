// grep: select lines of stdin or of files matching patterns. GNU grep's options that make sense
// in a lab: -i -v -E -F -G -c -w -x -q -s -n -o -h -H -e, and context lines -A -B -C (groups of
// lines that are not adjacent are separated by "--"; with -n, context lines are numbered "N-").
// With several files each line starts with its file's name ("name:", "name-" for context).
// Exit 0 when a line was selected, 1 when none was, 2 on an error (a file that cannot be read,
// a usage or pattern error), but 0 with -q once a line was selected.
import { getopt } from "./getopt";
import { inputsOf } from "./inputs";
import { escapeLiteral, posixToJs, RegexError } from "./regex";
import { type Filter, FilterOutput, failed, linesOf, readError } from "./types";

const USAGE = "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.";

export const grep: Filter = (argv, stdin, readFile) => {
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
  const context = (after > 0 || before > 0) && !has("o");
  const quiet = has("q");
  const inputs = inputsOf(operands, stdin, readFile);
  const named = has("H") || (!has("h") && inputs.length > 1);
  const o = new FilterOutput();
  let errorSeen = false;
  let selectedAny = false;
  /** Whether any line went out yet (in any file): a later context group starts with "--". */
  let outputSeen = false;
  for (const { name, read } of inputs) {
    if (read.kind !== "file") {
      if (!has("s")) o.err(`grep: ${name}: ${readError(read)}\n`);
      errorSeen = true;
      continue;
    }
    const label = name === "-" ? "(standard input)" : name;
    const lines = linesOf(read.text);
    let count = 0;
    /** The last line printed in this file (context: what is out already, where "--" goes). */
    let printed = -1;
    let trailing = 0;
    const emit = (i: number, sep: ":" | "-", text: string) => {
      o.out(`${named ? label + sep : ""}${has("n") ? `${i + 1}${sep}` : ""}${text}\n`);
      outputSeen = true;
    };
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index];
      re.lastIndex = 0;
      if (re.test(line) === invert) {
        if (context && trailing > 0 && !quiet && !has("c")) {
          emit(index, "-", line);
          printed = index;
          trailing--;
        }
        continue;
      }
      count++;
      if (quiet) break;
      if (has("c")) continue;
      if (context) {
        const from = Math.max(printed + 1, index - before);
        if (outputSeen && (printed < 0 || from > printed + 1)) o.out("--\n");
        for (let i = from; i < index; i++) emit(i, "-", lines[i]);
        printed = index;
        trailing = after;
      }
      if (has("o") && !invert) {
        re.lastIndex = 0;
        for (const m of line.matchAll(re)) if (m[0] !== "") emit(index, ":", m[0]);
      } else emit(index, ":", line);
    }
    if (count > 0) selectedAny = true;
    if (quiet && selectedAny) return o.result(0);
    if (has("c")) o.out(`${named ? `${label}:` : ""}${count}\n`);
  }
  return o.result(errorSeen ? 2 : selectedAny ? 0 : 1);
};
