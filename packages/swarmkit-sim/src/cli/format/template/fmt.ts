// fmt.Sprint, Sprintln and Sprintf over engine values, for the template builtins print,
// println and printf. Sprintf knows the verbs templates use (%v %s %d %q %t %f %e %g %x %X %c
// %%), flags (- + 0 space), width and precision, and Go's complaints (%!d(string=x),
// %!s(MISSING), %!(EXTRA string=x)).
import { goQuote } from "../../grammar/go-values";
import { formatValue, goFloat } from "./print";
import { basicKind, type GoValue, isObject, typeOf, underlying } from "./values";

/** %v of an argument of a variadic ...any parameter: an invalid value arrives as nil. */
function v(x: GoValue): string {
  return x === undefined ? "<nil>" : formatValue(x);
}

/** Sprint: spaces between operands when neither side is a string. */
export function sprint(args: readonly GoValue[]): string {
  let out = "";
  args.forEach((a, i) => {
    if (i > 0 && basicKind(a) !== "string" && basicKind(args[i - 1]) !== "string") out += " ";
    out += v(a);
  });
  return out;
}

/** Sprintln: always a space between operands, and a newline at the end. */
export function sprintln(args: readonly GoValue[]): string {
  return `${args.map(v).join(" ")}\n`;
}

interface Spec {
  minus: boolean;
  plus: boolean;
  zero: boolean;
  space: boolean;
  width?: number;
  precision?: number;
}

function bad(verb: string, x: GoValue): string {
  return x === undefined ? `%!${verb}(<nil>)` : `%!${verb}(${typeOf(x)}=${v(x)})`;
}

function padTo(s: string, spec: Spec, numeric: boolean): string {
  const width = spec.width ?? 0;
  const len = [...s].length;
  if (len >= width) return s;
  if (spec.minus) return s + " ".repeat(width - len);
  if (spec.zero && numeric) {
    const sign = s.startsWith("-") || s.startsWith("+") ? s[0] : "";
    return sign + "0".repeat(width - len) + s.slice(sign.length);
  }
  return " ".repeat(width - len) + s;
}

function integer(n: number, spec: Spec, radix: number, upper = false): string {
  let s = Math.abs(n).toString(radix);
  if (upper) s = s.toUpperCase();
  if (spec.precision !== undefined) s = s.padStart(spec.precision, "0");
  if (n < 0) s = `-${s}`;
  else if (spec.plus) s = `+${s}`;
  else if (spec.space) s = ` ${s}`;
  return s;
}

/**
 * JavaScript formats at most 100 digits after the point; Go any number up to 10^6. Past 100 the
 * digits are zeros (exact for every double but those below 10^-100 in magnitude, whose far
 * digits Go would print).
 */
function moreDigits(fixed: string, prec: number): string {
  return prec > 100 ? fixed + "0".repeat(prec - 100) : fixed;
}

function float(n: number, verb: string, spec: Spec): string {
  const prec = spec.precision;
  let s: string;
  if (!Number.isFinite(n)) s = Number.isNaN(n) ? "NaN" : n > 0 ? "+Inf" : "-Inf";
  else if (verb === "f" || verb === "F") s = moreDigits(n.toFixed(Math.min(prec ?? 6, 100)), prec ?? 6);
  else if (verb === "e" || verb === "E") {
    const [m0, e] = n.toExponential(Math.min(prec ?? 6, 100)).split("e");
    const m = moreDigits(m0, prec ?? 6);
    const exp = Number(e);
    s = `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
    if (verb === "E") s = s.toUpperCase();
  } else
    s = prec === undefined ? goFloat(n) : Number(n.toPrecision(Math.max(1, Math.min(prec, 100)))).toString();
  if (n >= 0 && spec.plus) s = `+${s}`;
  return s;
}

function formatOne(verb: string, x: GoValue, spec: Spec): string {
  const u = underlying(x);
  const kind = basicKind(x);
  switch (verb) {
    case "v":
      if (kind === "float") return padTo(float(u as number, "g", spec), spec, true);
      if (kind === "int") return padTo(integer(u as number, spec, 10), spec, true);
      return padTo(v(x), spec, false);
    case "s": {
      // Stringers and errors print through %s too; a plain number does not.
      if (kind === "int" || kind === "float" || kind === "bool") return bad(verb, x);
      let s = v(x);
      if (spec.precision !== undefined) s = [...s].slice(0, spec.precision).join("");
      return padTo(s, spec, false);
    }
    case "q":
      if (kind === "string") return padTo(goQuote(u as string), spec, false);
      if (kind === "int") return padTo(`'${String.fromCodePoint(u as number)}'`, spec, false);
      return bad(verb, x);
    case "d":
      if (kind !== "int") return bad(verb, x);
      return padTo(integer(u as number, spec, 10), spec, true);
    case "x":
    case "X":
      if (kind === "int") return padTo(integer(u as number, spec, 16, verb === "X"), spec, true);
      if (kind === "string") {
        const hex = Buffer.from(u as string, "utf8").toString("hex");
        return padTo(verb === "X" ? hex.toUpperCase() : hex, spec, false);
      }
      return bad(verb, x);
    case "c":
      if (kind !== "int") return bad(verb, x);
      return padTo(String.fromCodePoint(u as number), spec, false);
    case "t":
      if (kind !== "bool") return bad(verb, x);
      return padTo(String(u), spec, false);
    case "f":
    case "F":
    case "e":
    case "E":
    case "g":
    case "G":
      if (kind !== "float" && !(isObject(x) && x.kind === "scalar" && x.type.startsWith("float")))
        return bad(verb, x);
      return padTo(float(u as number, verb, spec), spec, true);
    case "T":
      return padTo(x === undefined ? "<nil>" : typeOf(x), spec, false);
    default:
      return `%!${verb}(${x === undefined ? "<nil>" : `${typeOf(x)}=${v(x)}`})`;
  }
}

/** Go's fmt tooLarge: widths and precisions are at most 10^6. */
const MAX_WIDTH = 1e6;

/** Go's parsenum: the digits at `i`; `overflow` when they pass 10^6. */
function parseNum(s: string, i: number): { num?: number; end: number; overflow?: boolean } {
  let num: number | undefined;
  let j = i;
  for (; j < s.length && s[j] >= "0" && s[j] <= "9"; j++) {
    if (num !== undefined && num > MAX_WIDTH) return { end: s.length, overflow: true };
    num = (num ?? 0) * 10 + (s.charCodeAt(j) - 48);
  }
  return { num, end: j };
}

/** Go's intFromArg: the next argument as a width or precision (undefined: not a sane int). */
function intArg(args: readonly GoValue[], argi: number): { num?: number; next: number } {
  if (argi >= args.length) return { next: argi };
  const x = args[argi];
  const n = basicKind(x) === "int" ? (underlying(x) as number) : undefined;
  return { num: n !== undefined && Math.abs(n) <= MAX_WIDTH ? n : undefined, next: argi + 1 };
}

export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = "";
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const c = format[i];
    if (c !== "%") {
      out += c;
      i++;
      continue;
    }
    i++;
    const spec: Spec = { minus: false, plus: false, zero: false, space: false };
    for (; i < format.length; i++) {
      const f = format[i];
      if (f === "-") spec.minus = true;
      else if (f === "+") spec.plus = true;
      else if (f === "0") spec.zero = true;
      else if (f === " ") spec.space = true;
      else if (f !== "#") break;
    }
    // Go's parsenum: a width or precision past 10^6 is "crazy long": the rest of the format
    // is taken as consumed (%!(NOVERB)); `*` takes it from the arguments (%!(BADWIDTH),
    // %!(BADPREC) when that is not an int of a sane size).
    if (format[i] === "*") {
      i++;
      const w = intArg(args, argi);
      argi = w.next;
      if (w.num === undefined) out += "%!(BADWIDTH)";
      else if (w.num < 0) {
        spec.minus = true;
        spec.width = -w.num;
      } else spec.width = w.num;
    } else {
      const width = parseNum(format, i);
      if (width.overflow) i = format.length;
      else if (width.num !== undefined) {
        spec.width = width.num;
        i = width.end;
      }
    }
    if (format[i] === ".") {
      i++;
      if (format[i] === "*") {
        i++;
        const p = intArg(args, argi);
        argi = p.next;
        if (p.num === undefined || p.num < 0) out += "%!(BADPREC)";
        else spec.precision = p.num;
      } else {
        const prec = parseNum(format, i);
        spec.precision = prec.num ?? 0;
        i = prec.overflow ? format.length : prec.end;
      }
    }
    const verb = format[i];
    if (verb === undefined) {
      out += "%!(NOVERB)";
      break;
    }
    i += verb.length;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatOne(verb, args[argi++], spec);
  }
  if (argi < args.length) {
    const extra = args.slice(argi).map((x) => (x === undefined ? "<nil>" : `${typeOf(x)}=${v(x)}`));
    out += `%!(EXTRA ${extra.join(", ")})`;
  }
  return out;
}
