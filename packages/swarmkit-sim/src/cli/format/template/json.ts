// Go's encoding/json for engine values: struct fields in declaration order (embedded structs
// inlined, json tags honoured, omitempty), map keys sorted, nil slices and pointers as null,
// time.Time as RFC 3339 with nanoseconds, durations as integer nanoseconds, []byte as base64.
// `{{json .X}}` encodes without HTML escaping (the Docker CLI turns it off); json.Marshal,
// which the CLI's list contexts use for themselves, escapes <, > and & as \u003c...
import { rfc3339Nano } from "./print";
import { type GoStruct, type GoValue, isObject, underlying } from "./values";

export interface JsonOptions {
  escapeHTML: boolean;
}

export function goJson(v: GoValue, opts: JsonOptions = { escapeHTML: true }): string {
  if (v === undefined) return "null";
  if (typeof v === "string") return jsonString(v, opts.escapeHTML);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return jsonNumber(v);
  switch (v.kind) {
    case "scalar":
      if (v.number) return String(v.value);
      return goJson(v.value, opts);
    case "time":
      return jsonString(rfc3339Nano(v.ms), false);
    case "duration":
      return String(v.ns);
    case "nil":
      return "null";
    case "bytes":
      return `"${Buffer.from(v.bytes).toString("base64")}"`;
    case "slice":
      if (v.items === null) return "null";
      return `[${v.items.map((x) => goJson(x, opts)).join(",")}]`;
    case "map": {
      if (v.nil) return "null";
      const keys = [...v.entries.keys()].sort();
      return `{${keys.map((k) => `${jsonString(k, opts.escapeHTML)}:${goJson(v.entries.get(k), opts)}`).join(",")}}`;
    }
    case "struct":
      if (v.marshalJSON) return v.marshalJSON();
      return `{${structMembers(v, opts).join(",")}}`;
  }
}

function structMembers(s: GoStruct, opts: JsonOptions): string[] {
  const out: string[] = [];
  for (const f of s.fields) {
    if (f.unexported || f.json?.skip) continue;
    // An anonymous struct field without a json name is inlined; a nil embedded pointer adds nothing.
    if (f.embedded && !f.json?.name) {
      if (isObject(f.value) && f.value.kind === "struct") out.push(...structMembers(f.value, opts));
      continue;
    }
    if (f.json?.omitempty && isEmptyValue(f.value)) continue;
    out.push(`${jsonString(f.json?.name ?? f.name, opts.escapeHTML)}:${goJson(f.value, opts)}`);
  }
  return out;
}

/** encoding/json's isEmptyValue: what omitempty leaves out. Structs are never empty. */
function isEmptyValue(v: GoValue): boolean {
  if (isObject(v) && v.kind === "scalar" && v.pointer) return false;
  const u = underlying(v);
  if (u === undefined) return true;
  if (!isObject(u)) return u === "" || u === 0 || u === false;
  switch (u.kind) {
    case "nil":
      return true;
    case "map":
      return u.entries.size === 0;
    case "slice":
      return (u.items?.length ?? 0) === 0;
    case "bytes":
      return u.bytes.length === 0;
    default:
      return false;
  }
}

/** A float64 as encoding/json writes it (the same digits as JavaScript's shortest form). */
function jsonNumber(n: number): string {
  if (!Number.isFinite(n)) return "null";
  return String(n);
}

/** encoding/json's string escaping. */
export function jsonString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      // A surrogate pair is one rune; a lone surrogate is invalid UTF-8, which Go replaces.
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += s[i] + s[i + 1];
        i++;
      } else out += "\\ufffd";
      continue;
    }
    switch (c) {
      case 0x22:
        out += '\\"';
        continue;
      case 0x5c:
        out += "\\\\";
        continue;
      case 0x0a:
        out += "\\n";
        continue;
      case 0x0d:
        out += "\\r";
        continue;
      case 0x09:
        out += "\\t";
        continue;
      case 0x08:
        out += "\\b";
        continue;
      case 0x0c:
        out += "\\f";
        continue;
      case 0x2028:
      case 0x2029:
        out += `\\u${c.toString(16)}`;
        continue;
    }
    if (c < 0x20 || (escapeHTML && (c === 0x3c || c === 0x3e || c === 0x26))) {
      out += `\\u00${c.toString(16).padStart(2, "0")}`;
      continue;
    }
    out += s[i];
  }
  return `${out}"`;
}
