// How Go's fmt prints a value with %v, which is what `{{.X}}` writes: time.Time as
// "2026-01-01 12:00:00.5 +0000 UTC", durations as "5s", structs as "{a b}", maps as
// "map[k:v]" (keys sorted), slices as "[a b]", nil pointers as "<nil>".
import { formatGoDuration } from "../duration";
import type { GoValue } from "./values";

/** fmt.Sprint of one value (%v). `depth` > 0 inside a struct, map or slice. */
export function formatValue(v: GoValue, depth = 0): string {
  if (v === undefined) return depth === 0 ? "<no value>" : "<nil>";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return formatNumber(v);
  switch (v.kind) {
    case "scalar":
      if (v.pointer && depth > 0) return pseudoAddress(`*${v.type}`);
      if (typeof v.value === "number") return v.type.startsWith("float") ? goFloat(v.value) : String(v.value);
      return String(v.value);
    case "time":
      return goTimeString(v.ms);
    case "duration":
      return formatGoDuration(v.ns / 1e6);
    case "nil":
      if (v.type.startsWith("map[")) return "map[]";
      if (v.type.startsWith("[]")) return "[]";
      return "<nil>";
    case "bytes":
      return `[${[...v.bytes].join(" ")}]`;
    case "slice":
      return `[${(v.items ?? []).map((x) => formatValue(x, depth + 1)).join(" ")}]`;
    case "map": {
      const keys = [...v.entries.keys()].sort();
      return `map[${keys.map((k) => `${k}:${formatValue(v.entries.get(k), depth + 1)}`).join(" ")}]`;
    }
    case "struct": {
      if (v.stringer) return v.stringer();
      // fmt shows a pointer's address below the top level; ours is made up but stable.
      if (v.pointer && depth > 0) return pseudoAddress(v.type);
      const inner = `{${v.fields.map((f) => formatValue(f.value, depth + 1)).join(" ")}}`;
      return v.pointer ? `&${inner}` : inner;
    }
  }
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : goFloat(n);
}

/** %v of a float64: the shortest digits, in exponent form when the exponent is < -4 or >= 6 (1e+06). */
export function goFloat(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "+Inf" : "-Inf";
  if (n === 0) return Object.is(n, -0) ? "-0" : "0";
  const [mantissa, e] = n.toExponential().split("e");
  const exp = Number(e);
  if (exp < -4 || exp >= 6)
    return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return String(n);
}

function pseudoAddress(type: string): string {
  let h = 2166136261;
  for (let i = 0; i < type.length; i++) h = Math.imul(h ^ type.charCodeAt(i), 16777619) >>> 0;
  return `0xc000${(h & 0xfffff).toString(16).padStart(5, "0")}0`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** Whole seconds, and the nanoseconds past them (simulated time can have sub-millisecond parts). */
function split(ms: number): { seconds: number; nanos: number } {
  let seconds = Math.floor(ms / 1000);
  let nanos = Math.round((ms - seconds * 1000) * 1e6);
  if (nanos >= 1e9) {
    seconds++;
    nanos -= 1e9;
  }
  return { seconds, nanos };
}

/** Fractional seconds as Go's ".999999999" layouts print them: trailing zeros dropped. */
function fraction(nanos: number): string {
  if (nanos === 0) return "";
  return `.${pad(nanos, 9).replace(/0+$/, "")}`;
}

function dateParts(seconds: number) {
  const d = new Date(seconds * 1000);
  return {
    date: `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`,
    time: `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`,
  };
}

/** time.Time.String() of a UTC time: "2026-01-01 12:00:00.5 +0000 UTC". */
export function goTimeString(ms: number): string {
  const { seconds, nanos } = split(ms);
  const p = dateParts(seconds);
  return `${p.date} ${p.time}${fraction(nanos)} +0000 UTC`;
}

/** time.RFC3339Nano of a UTC time, as encoding/json writes it: "2026-01-01T12:00:00.5Z". */
export function rfc3339Nano(ms: number): string {
  const { seconds, nanos } = split(ms);
  const p = dateParts(seconds);
  return `${p.date}T${p.time}${fraction(nanos)}Z`;
}
