// Placement constraints (SwarmKit manager/constraint): "key==value" or "key!=value", all ANDed.
// Keys: node.id, node.hostname, node.ip (an address or a CIDR), node.role, node.platform.os,
// node.platform.arch, node.labels.<name>, engine.labels.<name>. Values compare without regard
// to case; label names are case sensitive. An unknown key never matches.
import { parseIPv4 } from "../../api/address";
import type { Node } from "../../api/types";

export interface Constraint {
  key: string;
  op: "==" | "!=";
  value: string;
}

const OPERATORS = ["==", "!="] as const;
const KEY = /^[a-z_][a-z0-9\-_.]+$/i;
// Values may not contain operators (present or future ones such as < > ~).
const VALUE = /^[a-z0-9:\-_\s.*()?+[\]\\^$|/]+$/i;

export type ParseResult = { ok: true; constraints: Constraint[] } | { ok: false; error: string };

export function parseConstraints(exprs: readonly string[]): ParseResult {
  const out: Constraint[] = [];
  for (const e of exprs) {
    const op = OPERATORS.find((o) => e.includes(o));
    if (!op) return { ok: false, error: `constraint expected one operator from ${OPERATORS.join(", ")}` };
    const at = e.indexOf(op);
    const key = e.slice(0, at).trim();
    const value = e.slice(at + op.length).trim();
    if (!KEY.test(key)) return { ok: false, error: `key '${key}' is invalid` };
    if (!VALUE.test(value)) return { ok: false, error: `value '${value}' is invalid` };
    out.push({ key, op, value });
  }
  return { ok: true, constraints: out };
}

function matches(c: Constraint, actual: string | undefined): boolean {
  const equal = actual !== undefined && actual.toLowerCase() === c.value.toLowerCase();
  return c.op === "==" ? equal : !equal;
}

const NODE_LABELS = "node.labels.";
const ENGINE_LABELS = "engine.labels.";

export function constraintMatches(c: Constraint, n: Node): boolean {
  const key = c.key.toLowerCase();
  switch (key) {
    case "node.id":
      return matches(c, n.id);
    case "node.hostname":
      // A node still registering has no description: only != can hold.
      if (!n.description) return c.op === "!=";
      return matches(c, n.description.hostname);
    case "node.ip":
      return ipMatches(c, n.status.addr);
    case "node.role":
      return matches(c, n.role);
    case "node.platform.os":
      return matches(c, n.description?.platform.os ?? "");
    case "node.platform.arch":
      return matches(c, n.description?.platform.architecture ?? "");
  }
  if (key.startsWith(NODE_LABELS)) return matches(c, n.spec.labels[c.key.slice(NODE_LABELS.length)] ?? "");
  if (key.startsWith(ENGINE_LABELS))
    return matches(c, n.description?.engine.labels[c.key.slice(ENGINE_LABELS.length)] ?? "");
  return false;
}

export function constraintsMatch(cs: readonly Constraint[], n: Node): boolean {
  for (const c of cs) if (!constraintMatches(c, n)) return false;
  return true;
}

function ipMatches(c: Constraint, addr: string): boolean {
  const node = ipv4(addr);
  const slash = c.value.indexOf("/");
  let inside: boolean;
  if (slash < 0) {
    const want = ipv4(c.value);
    if (want === undefined) return false; // malformed address: reject
    inside = node === want;
  } else {
    const base = ipv4(c.value.slice(0, slash));
    const bits = Number(c.value.slice(slash + 1));
    if (base === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    inside = node !== undefined && (node & mask) >>> 0 === (base & mask) >>> 0;
  }
  return c.op === "==" ? inside : !inside;
}

/** An IPv4 address, with or without a port. */
function ipv4(s: string): number | undefined {
  return parseIPv4(s.includes(":") ? s.slice(0, s.indexOf(":")) : s);
}
