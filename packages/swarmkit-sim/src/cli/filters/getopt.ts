// GNU-style option parsing for the lab's text filters: clustered short options (-iv), short
// options with attached or separate values (-n5, -n 5), long options (--count, --lines=5),
// options after operands (GNU permutes), "--" ends options. Error texts as GNU getopt prints.

export interface OptionSpec {
  /** getopt letters; a letter followed by ':' takes a value, e.g. "ivcn:e:". */
  short: string;
  /** long name -> the short letter (or a name of its own) it stands for; "name=" takes a value. */
  long?: Record<string, string>;
}

export interface ParsedOptions {
  /** Each option given, in order, as [key, value]; flags have value "". */
  options: [string, string][];
  operands: string[];
}

export type GetoptResult = { ok: true; parsed: ParsedOptions } | { ok: false; error: string };

export function getopt(tool: string, argv: readonly string[], spec: OptionSpec): GetoptResult {
  const takesValue = new Set<string>();
  const letters = new Set<string>();
  for (let i = 0; i < spec.short.length; i++) {
    const c = spec.short[i];
    if (c === ":") continue;
    letters.add(c);
    if (spec.short[i + 1] === ":") takesValue.add(c);
  }
  const longs = new Map<string, { key: string; value: boolean }>();
  for (const [name, key] of Object.entries(spec.long ?? {})) {
    const value = name.endsWith("=");
    longs.set(value ? name.slice(0, -1) : name, { key, value });
  }
  const options: [string, string][] = [];
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      for (let j = i + 1; j < argv.length; j++) operands.push(argv[j]);
      break;
    }
    if (a.startsWith("--")) {
      const [name, inline] = splitOnce(a.slice(2), "=");
      const matches = [...longs.keys()].filter((k) => k.startsWith(name));
      const exact = longs.has(name) ? name : matches.length === 1 ? matches[0] : undefined;
      if (exact === undefined) {
        if (matches.length > 1) return { ok: false, error: `${tool}: option '${a}' is ambiguous` };
        return { ok: false, error: `${tool}: unrecognized option '${a}'` };
      }
      const def = longs.get(exact)!;
      if (def.value) {
        if (inline !== undefined) options.push([def.key, inline]);
        else if (i + 1 < argv.length) options.push([def.key, argv[++i]]);
        else return { ok: false, error: `${tool}: option '--${exact}' requires an argument` };
      } else {
        if (inline !== undefined)
          return { ok: false, error: `${tool}: option '--${exact}' doesn't allow an argument` };
        options.push([def.key, ""]);
      }
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (!letters.has(c)) return { ok: false, error: `${tool}: invalid option -- '${c}'` };
        if (takesValue.has(c)) {
          if (j + 1 < a.length) options.push([c, a.slice(j + 1)]);
          else if (i + 1 < argv.length) options.push([c, argv[++i]]);
          else return { ok: false, error: `${tool}: option requires an argument -- '${c}'` };
          break;
        }
        options.push([c, ""]);
      }
      continue;
    }
    operands.push(a);
  }
  return { ok: true, parsed: { options, operands } };
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}
