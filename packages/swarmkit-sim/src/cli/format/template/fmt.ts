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

function float(n: number, verb: string, spec: Spec): string {
  const prec = spec.precision;
  let s: string;
  if (verb === "f" || verb === "F") s = n.toFixed(prec ?? 6);
  else if (verb === "e" || verb === "E") {
    const [m, e] = n.toExponential(prec ?? 6).split("e");
    const exp = Number(e);
    s = `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
    if (verb === "E") s = s.toUpperCase();
  } else s = prec === undefined ? goFloat(n) : Number(n.toPrecision(prec)).toString();
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
    const width = /^\d+/.exec(format.slice(i));
    if (width) {
      spec.width = Number(width[0]);
      i += width[0].length;
    }
    if (format[i] === ".") {
      i++;
      const prec = /^\d*/.exec(format.slice(i))![0];
      spec.precision = Number(prec || "0");
      i += prec.length;
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
