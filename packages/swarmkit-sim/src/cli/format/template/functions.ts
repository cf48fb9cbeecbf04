// The functions a template can call: Go's builtins (and, or, not, len, index, print, printf,
// println, eq, ne, lt, le, gt, ge) and the Docker CLI's (templates/templates.go: json, split,
// join, title, lower, upper, pad, truncate), with the signatures that decide Go's argument
// checks. The CLI swaps some of its own for pass-through versions when it renders a table's
// header (HeaderFunctions), so that `{{upper .Name}}` still heads its column "NAME".
import { MAX_OUTPUT_CHARS } from "../../io";
import { sprint, sprintf, sprintln } from "./fmt";
import { goJson } from "./json";
import { formatValue } from "./print";
import {
  basicKind,
  type GoParam,
  type GoValue,
  goStrings,
  isObject,
  truth,
  typeOf,
  underlying,
} from "./values";

/** A function's own failure; the engine reports it as "error calling NAME: message". */
export class CallError extends Error {}

/** A result past the lab's limit on text (a JavaScript string stops at about 512 MiB). */
export const TOO_LONG = `result longer than ${MAX_OUTPUT_CHARS} characters (the lab's limit)`;

export interface TemplateFunction {
  /** Parameter types; with `variadic`, the last one repeats. */
  readonly params: readonly GoParam[];
  readonly variadic?: boolean;
  /** `and` and `or` see their arguments one at a time (Go short-circuits them). */
  readonly shortCircuit?: "and" | "or";
  readonly call: (args: GoValue[]) => GoValue;
}

export type FunctionMap = Readonly<Record<string, TemplateFunction>>;

const fn = (params: GoParam[], call: (args: GoValue[]) => GoValue, variadic = false): TemplateFunction => ({
  params,
  call,
  variadic,
});

// --- Go's builtins -------------------------------------------------------------------------

function compareKinds(a: GoValue, b: GoValue): "string" | "bool" | "int" | "float" | "other" {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka !== kb) {
    if (a !== undefined && b !== undefined) throw new CallError("incompatible types for comparison");
    return "other";
  }
  return ka;
}

function isNil(x: GoValue): boolean {
  return x === undefined || (isObject(x) && x.kind === "nil");
}

function equal(a: GoValue, b: GoValue): boolean {
  const k = compareKinds(a, b);
  if (k !== "other") return underlying(a) === underlying(b);
  if (isNil(a) || isNil(b)) return isNil(a) === isNil(b);
  if (isObject(a) && (a.kind === "map" || a.kind === "slice" || a.kind === "bytes"))
    throw new CallError(`non-comparable type ${formatValue(a)}: ${typeOf(a)}`);
  return typeOf(a) === typeOf(b) && goJson(a) === goJson(b);
}

function less(a: GoValue, b: GoValue): boolean {
  const k = compareKinds(a, b);
  if (k === "bool" || k === "other") throw new CallError("invalid type for comparison");
  return (underlying(a) as string | number) < (underlying(b) as string | number);
}

function length(x: GoValue): number {
  if (x === undefined) throw new CallError("len of untyped nil");
  const u = underlying(x);
  if (typeof u === "string") return Buffer.byteLength(u, "utf8");
  if (isObject(u)) {
    if (u.kind === "slice") return u.items?.length ?? 0;
    if (u.kind === "map") return u.entries.size;
    if (u.kind === "bytes") return u.bytes.length;
    if (u.kind === "nil" && (u.type.startsWith("[]") || u.type.startsWith("map["))) return 0;
  }
  throw new CallError(`len of type ${typeOf(x)}`);
}

function index(item: GoValue, keys: GoValue[]): GoValue {
  if (item === undefined) throw new CallError("index of untyped nil");
  let cur: GoValue = item;
  for (const key of keys) {
    const u = underlying(cur);
    if (typeof u === "string" || (isObject(u) && (u.kind === "slice" || u.kind === "bytes"))) {
      if (basicKind(key) !== "int") throw new CallError(`cannot index slice/array with type ${typeOf(key)}`);
      const i = underlying(key) as number;
      const items =
        typeof u === "string"
          ? [...Buffer.from(u, "utf8")]
          : u.kind === "bytes"
            ? [...u.bytes]
            : ((u as { items: readonly GoValue[] | null }).items ?? []);
      if (i < 0 || i >= items.length) throw new CallError(`index out of range: ${i}`);
      cur = items[i];
      continue;
    }
    if (isObject(u) && u.kind === "map") {
      if (basicKind(key) !== "string") throw new CallError(`value has type ${typeOf(key)}; should be string`);
      const k = underlying(key) as string;
      cur = u.entries.has(k) ? u.entries.get(k) : u.elemType ? undefined : "";
      continue;
    }
    // Go names the value's type after following its pointer.
    throw new CallError(`can't index item of type ${typeOf(cur).replace(/^\*/, "")}`);
  }
  return cur;
}

export const BUILTIN_FUNCTIONS: FunctionMap = {
  and: { params: ["any", "any"], variadic: true, shortCircuit: "and", call: (a) => a[a.length - 1] },
  or: { params: ["any", "any"], variadic: true, shortCircuit: "or", call: (a) => a[a.length - 1] },
  not: fn(["any"], ([x]) => !truth(x)),
  len: fn(["any"], ([x]) => length(x)),
  index: fn(["any", "any"], ([item, ...keys]) => index(item, keys), true),
  print: fn(["any"], (a) => sprint(a), true),
  printf: fn(["string", "any"], ([f, ...a]) => sprintf(f as string, a), true),
  println: fn(["any"], (a) => sprintln(a), true),
  eq: fn(
    ["any", "any"],
    ([a, ...rest]) => {
      if (rest.length === 0) throw new CallError("missing argument for comparison");
      return rest.some((b) => equal(a, b));
    },
    true,
  ),
  ne: fn(["any", "any"], ([a, b]) => !equal(a, b)),
  lt: fn(["any", "any"], ([a, b]) => less(a, b)),
  le: fn(["any", "any"], ([a, b]) => less(a, b) || equal(a, b)),
  gt: fn(["any", "any"], ([a, b]) => !less(a, b) && !equal(a, b)),
  ge: fn(["any", "any"], ([a, b]) => !less(a, b)),
};

// --- the Docker CLI's --------------------------------------------------------------------

/** strings.Title: upper-cases the first letter of every word. */
function title(s: string): string {
  let prev = " ";
  let out = "";
  for (const ch of s) {
    out += isSeparator(prev) ? upperRune(ch) : ch;
    prev = ch;
  }
  return out;
}

function isSeparator(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  if (c <= 0x7f) return !/[0-9A-Za-z_]/.test(ch);
  if (/[\p{L}\p{Nd}]/u.test(ch)) return false;
  return /\s/u.test(ch);
}

/** unicode.ToUpper of one rune: a letter with no single-rune capital stays as it is. */
function upperRune(ch: string): string {
  const u = ch.toUpperCase();
  return [...u].length === 1 ? u : ch;
}

function lowerRune(ch: string): string {
  const l = ch.toLowerCase();
  return [...l].length === 1 ? l : ch;
}

/** strings.Split: "" splits into characters; an empty string gives one empty element. */
function split(s: string, sep: string): string[] {
  return sep === "" ? [...s] : s.split(sep);
}

/** truncateWithLength: at most `n` bytes (Go slices the string's bytes). */
function truncate(s: string, n: number): string {
  const bytes = Buffer.from(s, "utf8");
  if (bytes.length < n) return s;
  if (n < 0) throw new CallError(`runtime error: slice bounds out of range [:${n}]`);
  return bytes.subarray(0, n).toString("utf8");
}

export const DOCKER_FUNCTIONS: FunctionMap = {
  json: fn(["any"], ([v]) => goJson(v, { escapeHTML: false })),
  split: fn(["string", "string"], ([s, sep]) => goStrings(split(s as string, sep as string))),
  join: fn(["[]string", "string"], ([list, sep]) => {
    const items = isObject(list) && list.kind === "slice" ? (list.items ?? []) : [];
    return items.map((x) => x as string).join(sep as string);
  }),
  title: fn(["string"], ([s]) => title(s as string)),
  lower: fn(["string"], ([s]) => [...(s as string)].map(lowerRune).join("")),
  upper: fn(["string"], ([s]) => [...(s as string)].map(upperRune).join("")),
  pad: fn(["string", "int", "int"], ([s, p, q]) => {
    if (s === "") return s;
    // strings.Repeat panics on a negative count; past the lab's limit on text, a clear error.
    if ((p as number) < 0 || (q as number) < 0) throw new CallError("strings: negative Repeat count");
    if ((s as string).length + (p as number) + (q as number) > MAX_OUTPUT_CHARS)
      throw new CallError(TOO_LONG);
    return " ".repeat(p as number) + s + " ".repeat(q as number);
  }),
  truncate: fn(["string", "int"], ([s, n]) => truncate(s as string, n as number)),
};

/** templates.HeaderFunctions: a table header keeps its text through these. */
export const HEADER_FUNCTIONS: FunctionMap = {
  json: fn(["string"], ([v]) => v),
  split: fn(["string", "string"], ([v]) => v),
  join: fn(["string", "string"], ([v]) => v),
  title: fn(["string"], ([v]) => v),
  lower: fn(["string"], ([v]) => v),
  upper: fn(["string"], ([v]) => v),
  truncate: fn(["string", "int"], ([v]) => v),
};
