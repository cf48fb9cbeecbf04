// pflag's command-line parsing over one command's flag set: --name=value, --name value,
// --bool, -abc clusters, -nVALUE, -n=VALUE, "--" ends flags, and interspersed or not.
// Error texts are pflag's ("unknown flag: --x", "unknown shorthand flag: 'x' in -xyz",
// "flag needs an argument: --name", `invalid argument "v" for "-n, --name" flag: ...`).
import { goQuote } from "./go-values";
import type { CommandNode } from "./tree";
import type { FlagSpec, FlagValue } from "./types";
import { applyFlagText } from "./values";

export interface FlagState {
  values: Record<string, FlagValue>;
  changed: Set<string>;
  raw: Record<string, string[]>;
}

export type FlagParseResult = { ok: true; positional: string[] } | { ok: false; error: string };

/** A deprecation note pflag prints while parsing, and where it goes. */
export interface ParseNote {
  stream: "stdout" | "stderr";
  text: string;
}

/** A copy of a default that the command may change without touching the table. */
function copyValue(v: FlagValue): FlagValue {
  if (Array.isArray(v)) return [...v] as FlagValue;
  if (typeof v === "object") return { ...v };
  return v;
}

export function initialState(flags: readonly FlagSpec[]): FlagState {
  const values: Record<string, FlagValue> = {};
  for (const f of flags) values[f.name] = copyValue(f.defaultValue);
  return { values, changed: new Set(), raw: {} };
}

/** The value a flag takes when given without "=value": true for booleans. */
function noOptValue(f: FlagSpec): string | undefined {
  return f.noOptValue ?? (f.kind === "bool" ? "true" : undefined);
}

function displayName(f: FlagSpec): string {
  return f.short && !f.shorthandDeprecated ? `-${f.short}, --${f.name}` : `--${f.name}`;
}

/**
 * Parses `args` into `state`. Deprecation notes pflag prints while parsing go to `notes`: the
 * Docker CLI's global flags print them on stderr, every command's own flag set on stdout.
 * With interspersed false, the first positional argument ends flag parsing.
 */
export function parseFlags(
  node: CommandNode,
  args: readonly string[],
  state: FlagState,
  notes: ParseNote[],
  interspersed: boolean,
): FlagParseResult {
  const stream = node.parent ? "stdout" : "stderr";
  const positional: string[] = [];
  const set = (f: FlagSpec, text: string): string | undefined => {
    const first = !state.changed.has(f.name);
    const r = applyFlagText(f, state.values[f.name], text, first);
    if (!r.ok) return `invalid argument ${goQuote(text)} for ${goQuote(displayName(f))} flag: ${r.error}`;
    state.values[f.name] = r.value;
    state.changed.add(f.name);
    (state.raw[f.name] ??= []).push(text);
    if (f.deprecated) notes.push({ stream, text: `Flag --${f.name} has been deprecated, ${f.deprecated}\n` });
    return undefined;
  };
  // An index into args, not a shrinking copy: a line of 200,000 words is one pass.
  let next = 0;
  const restFrom = (i: number) => {
    for (let j = i; j < args.length; j++) positional.push(args[j]);
  };
  while (next < args.length) {
    const s = args[next++];
    if (s.length === 0 || s[0] !== "-" || s.length === 1) {
      if (!interspersed) {
        positional.push(s);
        restFrom(next);
        return { ok: true, positional };
      }
      positional.push(s);
      continue;
    }
    if (s[1] === "-") {
      if (s.length === 2) {
        restFrom(next);
        return { ok: true, positional };
      }
      const body = s.slice(2);
      if (body[0] === "-" || body[0] === "=") return { ok: false, error: `bad flag syntax: ${s}` };
      const eq = body.indexOf("=");
      const name = eq < 0 ? body : body.slice(0, eq);
      const f = node.byLong.get(name);
      if (!f) return { ok: false, error: `unknown flag: --${name}` };
      let value: string;
      if (eq >= 0) value = body.slice(eq + 1);
      else if (noOptValue(f) !== undefined) value = noOptValue(f)!;
      else if (next < args.length) value = args[next++];
      else return { ok: false, error: `flag needs an argument: ${s}` };
      const e = set(f, value);
      if (e) return { ok: false, error: e };
      continue;
    }
    // A cluster of shorthands: -abc, -n5, -n=5, -n 5.
    let shorts = s.slice(1);
    while (shorts.length > 0) {
      const c = shorts[0];
      const f = node.byShort.get(c);
      if (!f) return { ok: false, error: `unknown shorthand flag: '${c}' in -${shorts}` };
      let value: string;
      let after = shorts.slice(1);
      if (shorts.length > 2 && shorts[1] === "=") {
        value = shorts.slice(2);
        after = "";
      } else if (noOptValue(f) !== undefined) value = noOptValue(f)!;
      else if (shorts.length > 1) {
        value = shorts.slice(1);
        after = "";
      } else if (next < args.length) value = args[next++];
      else return { ok: false, error: `flag needs an argument: '${c}' in -${shorts}` };
      if (f.shorthandDeprecated) {
        notes.push({ stream, text: `Flag shorthand -${c} has been deprecated, ${f.shorthandDeprecated}\n` });
      }
      const e = set(f, value);
      if (e) return { ok: false, error: e };
      shorts = after;
    }
  }
  return { ok: true, positional };
}

/** cobra's Traverse helpers: does `--name` (or `-c`) take no separate value? */
export function longTakesNoValue(node: CommandNode, name: string): boolean {
  const f = node.byLong.get(name);
  return f !== undefined && noOptValue(f) !== undefined;
}

export function shortTakesNoValue(node: CommandNode, c: string): boolean {
  const f = node.byShort.get(c);
  return f !== undefined && noOptValue(f) !== undefined;
}
