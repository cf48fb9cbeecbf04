// seq: print a sequence of numbers (GNU coreutils): seq LAST, seq FIRST LAST, seq FIRST INCREMENT
// LAST, with -s SEP and -w (pad with leading zeros to equal width). Numbers are printed with as
// many decimals as FIRST or INCREMENT has, as GNU seq does for plain decimal input.
import { getopt } from "./getopt";
import { done, type Filter, failed, q } from "./types";

const USAGE = "Try 'seq --help' for more information.";
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

function decimals(s: string): number {
  const i = s.indexOf(".");
  return i < 0 ? 0 : s.length - i - 1;
}

/** Negative numbers are operands, not options (seq 10 -3 4), unless they are -s's value. */
function splitNegatives(argv: readonly string[]): { options: string[]; negatives: Map<number, string> } {
  const options: string[] = [];
  const negatives = new Map<number, string>();
  let operandIndex = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const prev = argv[i - 1];
    if (a.startsWith("-") && NUMBER.test(a) && prev !== "-s" && prev !== "--separator") {
      negatives.set(operandIndex++, a);
      continue;
    }
    const isValue = prev === "-s" || prev === "--separator";
    if (!isValue && (!a.startsWith("-") || a === "-")) operandIndex++;
    options.push(a);
  }
  return { options, negatives };
}

export const seq: Filter = (argv) => {
  const { options, negatives } = splitNegatives(argv);
  const r = getopt("seq", options, {
    short: "s:w",
    long: { "separator=": "s", "equal-width": "w" },
  });
  if (!r.ok) return failed(`${r.error}\n${USAGE}`, 1);
  const ops = [...r.parsed.operands];
  for (const [i, v] of [...negatives].sort((a, b) => a[0] - b[0])) ops.splice(i, 0, v);
  if (ops.length === 0) return failed(`seq: missing operand\n${USAGE}`, 1);
  if (ops.length > 3) return failed(`seq: extra operand ${q(ops[3])}\n${USAGE}`, 1);
  for (const o of ops) {
    if (!NUMBER.test(o)) return failed(`seq: invalid floating point argument: ${q(o)}\n${USAGE}`, 1);
  }
  const [firstS, incS, lastS] =
    ops.length === 1 ? ["1", "1", ops[0]] : ops.length === 2 ? [ops[0], "1", ops[1]] : ops;
  const first = Number(firstS);
  const inc = Number(incS);
  const last = Number(lastS);
  if (inc === 0) return failed(`seq: invalid Zero increment value: ${q(incS)}\n${USAGE}`, 1);
  let sep = "\n";
  let equalWidth = false;
  for (const [k, v] of r.parsed.options) {
    if (k === "s") sep = v ?? "";
    if (k === "w") equalWidth = true;
  }
  const places = Math.max(decimals(firstS), decimals(incS));
  const values: string[] = [];
  // Counting steps (not adding `inc` repeatedly) keeps decimal steps from drifting.
  for (let i = 0; ; i++) {
    const v = first + i * inc;
    if (inc > 0 ? v > last + 1e-9 : v < last - 1e-9) break;
    values.push(v.toFixed(places));
    if (values.length > 1_000_000) return failed("seq: the simulator prints at most 1000000 numbers", 1);
  }
  if (equalWidth) {
    const width = values.reduce((w, v) => Math.max(w, v.replace("-", "").length), 0);
    for (let i = 0; i < values.length; i++) {
      const neg = values[i].startsWith("-");
      const digits = neg ? values[i].slice(1) : values[i];
      values[i] = (neg ? "-" : "") + digits.padStart(width, "0");
    }
  }
  return done(values.length === 0 ? "" : `${values.join(sep)}\n`);
};
