// The Go standard library's value parsing, with its exact error texts, because the Docker CLI
// reports flag errors as `invalid argument "x" for "--replicas" flag: strconv.ParseUint: parsing
// "x": invalid syntax`. Only what flags need: strconv.ParseBool/ParseInt/ParseUint/ParseFloat,
// time.ParseDuration and strconv.Quote.

export type GoResult<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): GoResult<T> => ({ ok: true, value });
const fail = <T>(error: string): GoResult<T> => ({ ok: false, error });

/** strconv.Quote: a double-quoted Go string literal (printable Unicode kept, the rest escaped). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (cp === 7) out += "\\a";
    else if (cp === 8) out += "\\b";
    else if (cp === 12) out += "\\f";
    else if (cp === 10) out += "\\n";
    else if (cp === 13) out += "\\r";
    else if (cp === 9) out += "\\t";
    else if (cp === 11) out += "\\v";
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else if (cp >= 0x80 && cp < 0xa0) out += `\\u${cp.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** strconv.ParseBool. */
export function parseGoBool(s: string): GoResult<boolean> {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return ok(true);
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return ok(false);
  return fail(`strconv.ParseBool: parsing ${goQuote(s)}: invalid syntax`);
}

/** Go's rule for underscores in base-prefixed literals: only between digits or after the prefix. */
function underscoreOK(s: string): boolean {
  let saw = "^";
  let i = 0;
  if (s.length >= 1 && (s[0] === "-" || s[0] === "+")) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === "0" && "bBoOxX".includes(s[1])) {
    i = 2;
    saw = "0";
    hex = s[1] === "x" || s[1] === "X";
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= "0" && c <= "9") || (hex && /[a-fA-F]/.test(c))) {
      saw = "0";
      continue;
    }
    if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

/** Parses the digits of an unsigned number; null on bad syntax. */
function parseDigits(s: string, base: number): { value: bigint; base0Underscores: boolean } | null {
  if (s.length === 0) return null;
  let b = base;
  let body = s;
  let base0 = false;
  if (base === 0) {
    base0 = true;
    b = 10;
    if (s[0] === "0") {
      if (s.length >= 3 && (s[1] === "x" || s[1] === "X")) {
        b = 16;
        body = s.slice(2);
      } else if (s.length >= 3 && (s[1] === "o" || s[1] === "O")) {
        b = 8;
        body = s.slice(2);
      } else if (s.length >= 3 && (s[1] === "b" || s[1] === "B")) {
        b = 2;
        body = s.slice(2);
      } else {
        b = 8;
        body = s.slice(1);
        if (body.length === 0) return { value: 0n, base0Underscores: true };
      }
    }
  }
  let value = 0n;
  let underscores = false;
  const bigB = BigInt(b);
  for (const c of body) {
    if (c === "_" && base0) {
      underscores = true;
      continue;
    }
    const d = parseInt(c, 36);
    if (Number.isNaN(d) || d >= b) return null;
    value = value * bigB + BigInt(d);
  }
  if (underscores && !underscoreOK(s)) return null;
  return { value, base0Underscores: underscores };
}

/** strconv.ParseUint(s, base, bitSize). */
export function parseGoUint(s: string, base = 0, bitSize = 64): GoResult<bigint> {
  const fn = "strconv.ParseUint";
  if (s.length === 0) return fail(`${fn}: parsing ${goQuote(s)}: invalid syntax`);
  const parsed = parseDigits(s, base);
  if (!parsed) return fail(`${fn}: parsing ${goQuote(s)}: invalid syntax`);
  if (parsed.value >= 1n << BigInt(bitSize)) return fail(`${fn}: parsing ${goQuote(s)}: value out of range`);
  return ok(parsed.value);
}

/** strconv.ParseInt(s, base, bitSize). */
export function parseGoInt(s: string, base = 0, bitSize = 64): GoResult<bigint> {
  const fn = "strconv.ParseInt";
  if (s.length === 0) return fail(`${fn}: parsing ${goQuote(s)}: invalid syntax`);
  let body = s;
  let neg = false;
  if (s[0] === "+" || s[0] === "-") {
    neg = s[0] === "-";
    body = s.slice(1);
  }
  const parsed = body.length > 0 ? parseDigits(body, base) : null;
  if (!parsed) return fail(`${fn}: parsing ${goQuote(s)}: invalid syntax`);
  const cutoff = 1n << BigInt(bitSize - 1);
  if ((!neg && parsed.value >= cutoff) || (neg && parsed.value > cutoff)) {
    return fail(`${fn}: parsing ${goQuote(s)}: value out of range`);
  }
  return ok(neg ? -parsed.value : parsed.value);
}

const FLOAT_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** strconv.ParseFloat(s, 64) for decimal forms, infinities and NaN. */
export function parseGoFloat(s: string): GoResult<number> {
  const lower = s.toLowerCase();
  const unsigned = lower.replace(/^[+-]/, "");
  if (unsigned === "inf" || unsigned === "infinity") return ok(lower.startsWith("-") ? -Infinity : Infinity);
  if (unsigned === "nan") return ok(Number.NaN);
  if (!FLOAT_RE.test(s)) return fail(`strconv.ParseFloat: parsing ${goQuote(s)}: invalid syntax`);
  const v = Number(s);
  if (!Number.isFinite(v)) return fail(`strconv.ParseFloat: parsing ${goQuote(s)}: value out of range`);
  return ok(v);
}

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX_DURATION = (1n << 63n) - 1n;

/**
 * time.ParseDuration: "300ms", "-1.5h", "2h45m", "1m30s", "2160h0m0s". Returns milliseconds
 * (the simulator's time unit), computed from the exact nanosecond count Go would hold.
 */
export function parseGoDuration(input: string): GoResult<number> {
  const ns = parseGoDurationNs(input);
  return ns.ok ? ok(Number(ns.value) / 1e6) : ns;
}

const SLEEP_UNITS_NS: Readonly<Record<string, bigint>> = { ...UNIT_NS, d: 86_400_000_000_000n };

/**
 * A duration as `sleep` takes it (coreutils and BusyBox): a number of seconds ("30", "1.5",
 * ".5"), or a number with a unit s, m, h or d ("2m", "1d"); Go's compound form and units are
 * accepted too ("1h30m", "500ms"), so one word serves the lab's `sleep`, `advance` and flags
 * such as `--duration 60s`. Milliseconds, or undefined for a word that is none of these or
 * is negative.
 */
export function parseSleepDuration(word: string): number | undefined {
  if (/^(\d+(\.\d*)?|\.\d+)$/.test(word)) return Number(word) * 1000;
  if (word.startsWith("-") || word.startsWith("+")) return undefined;
  const ns = parseGoDurationNs(word, SLEEP_UNITS_NS);
  return ns.ok ? Number(ns.value) / 1e6 : undefined;
}

/** time.ParseDuration, in nanoseconds; `units` adds to Go's units (the lab's sleep takes "d"). */
export function parseGoDurationNs(
  input: string,
  units: Readonly<Record<string, bigint>> = UNIT_NS,
): GoResult<bigint> {
  const invalid = () => fail<bigint>(`time: invalid duration ${goQuote(input)}`);
  let s = input;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return ok(0n);
  if (s === "") return invalid();
  let total = 0n;
  while (s !== "") {
    if (!(s[0] === "." || (s[0] >= "0" && s[0] <= "9"))) return invalid();
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const intPart = m[1];
    const fracPart = m[2];
    const hadDot = m[0].includes(".");
    if (intPart === "" && (fracPart === undefined || fracPart === "")) return invalid();
    s = s.slice(m[0].length);
    let u = 0;
    while (u < s.length && s[u] !== "." && !(s[u] >= "0" && s[u] <= "9")) u++;
    if (u === 0) return fail(`time: missing unit in duration ${goQuote(input)}`);
    const unitName = s.slice(0, u);
    s = s.slice(u);
    const unit = Object.hasOwn(units, unitName) ? units[unitName] : undefined;
    if (unit === undefined)
      return fail(`time: unknown unit ${goQuote(unitName)} in duration ${goQuote(input)}`);
    const whole = intPart === "" ? 0n : BigInt(intPart);
    if (whole > MAX_DURATION / unit) return invalid();
    let v = whole * unit;
    if (hadDot && fracPart) {
      // Go keeps the fraction's leading digits exactly and truncates the rest.
      let scale = 1n;
      let f = 0n;
      for (const c of fracPart) {
        if (scale > MAX_DURATION / 10n) break;
        f = f * 10n + BigInt(c);
        scale *= 10n;
      }
      v += (f * unit) / scale;
    }
    total += v;
    if (total > MAX_DURATION) return invalid();
  }
  return ok(neg ? -total : total);
}
