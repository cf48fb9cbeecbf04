// The -f/--filter of the docker list commands (node ls, node ps, service ls, service ps, stack
// services, stack ps, network ls) as dockerd checks them and SwarmKit's control API applies them: a key the
// daemon does not accept is refused (`invalid filter 'x'`, moby api/types/filters Validate);
// the values of one key are OR'ed and different keys AND'ed, except labels, which all have to
// match (SwarmKit controlapi filterMatchLabels).
import type { ParsedCommand } from "../cli/grammar/types";
import { DaemonError } from "../node/errors";

/** The values given for each key, in the order given. */
export type Filters = ReadonlyMap<string, readonly string[]>;

/** The command's NAME=value filters (the grammar has checked their shape and lower-cased NAME). */
export function filterItems(cmd: ParsedCommand): string[] {
  const raw = cmd.flags.filter;
  return Array.isArray(raw) ? (raw as string[]) : typeof raw === "string" && raw ? [raw] : [];
}

/** Groups NAME=value items by name, or the daemon's refusal of a name it does not accept. */
export function groupFilters(items: readonly string[], accepted: ReadonlySet<string>): Filters | DaemonError {
  const by = new Map<string, string[]>();
  for (const item of items) {
    const eq = item.indexOf("=");
    const key = eq < 0 ? item : item.slice(0, eq);
    if (!accepted.has(key)) return new DaemonError(`invalid filter '${key}'`);
    by.set(key, [...(by.get(key) ?? []), eq < 0 ? "" : item.slice(eq + 1)]);
  }
  return by;
}

/** Whether every key's values accept the object (`accepts(key, values)`). */
export function matchesFilters(
  filters: Filters,
  accepts: (key: string, values: readonly string[]) => boolean,
) {
  for (const [key, values] of filters) if (!accepts(key, values)) return false;
  return true;
}

/** SwarmKit's label filter: every `key` present, and every `key=value` equal. */
export function labelsMatch(labels: Readonly<Record<string, string>>, wanted: readonly string[]): boolean {
  return wanted.every((w) => {
    const eq = w.indexOf("=");
    const key = eq < 0 ? w : w.slice(0, eq);
    const value = eq < 0 ? "" : w.slice(eq + 1);
    return key in labels && (value === "" || labels[key] === value);
  });
}

/** One of the values is a prefix of `s` (SwarmKit's IDPrefixes, NamePrefixes). */
export function hasAnyPrefix(s: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => s.startsWith(p));
}

/**
 * The daemon's filters.Args.Match: a value equal to `s`, or a regular expression found in it
 * (Go's syntax is close enough to JavaScript's for what users type; a value that is no valid
 * expression matches only exactly).
 */
export function matchesAny(s: string, values: readonly string[]): boolean {
  return values.some((v) => {
    if (v === s) return true;
    try {
      return new RegExp(v).test(s);
    } catch {
      return false;
    }
  });
}
