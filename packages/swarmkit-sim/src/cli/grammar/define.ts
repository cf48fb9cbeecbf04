// Helpers to write the command table: `command({...})` builds a CommandSpec from an Options
// block (see options-text.ts) plus hidden flags and per-flag adjustments.
import { defaultFromText, kindOf, parseOptionsText } from "./options-text";
import type { ArgsRule, CommandSpec, FlagSpec, FlagValue } from "./types";

export interface HiddenFlagDef {
  name: string;
  short?: string;
  /** The pflag type word ("string", "int", "" for bool...). */
  varname: string;
  help?: string;
  /** Default as pflag would show it ("5", "\"x\""). */
  defaultText?: string;
  deprecated?: string;
  persistent?: boolean;
}

export interface CommandDef extends Omit<CommandSpec, "flags"> {
  /** The command's Options block, as `docker <cmd> --help` prints it (unwrapped). */
  options?: string;
  hiddenFlags?: HiddenFlagDef[];
  /** Adjustments per flag name: kind, base, default, OS/experimental annotations. */
  flagOverrides?: Record<string, Partial<FlagSpec>>;
}

export const args = {
  any: (): ArgsRule => ({ kind: "any" }),
  none: (): ArgsRule => ({ kind: "none" }),
  exact: (n: number): ArgsRule => ({ kind: "exact", n }),
  min: (n: number): ArgsRule => ({ kind: "min", n }),
  max: (n: number): ArgsRule => ({ kind: "max", n }),
  range: (min: number, max: number): ArgsRule => ({ kind: "range", min, max }),
};

export function hiddenFlag(def: HiddenFlagDef): FlagSpec {
  const info = kindOf(def.varname);
  const value: FlagValue = defaultFromText(info.kind, def.defaultText);
  return {
    name: def.name,
    short: def.short,
    varname: def.varname,
    kind: info.kind,
    bits: info.bits,
    help: def.help ?? "",
    defaultValue: value,
    hidden: true,
    deprecated: def.deprecated,
    persistent: def.persistent,
  };
}

export function command(def: CommandDef): CommandSpec {
  const { options, hiddenFlags, flagOverrides, ...rest } = def;
  const flags = options ? parseOptionsText(options) : [];
  for (const h of hiddenFlags ?? []) flags.push(hiddenFlag(h));
  for (const [name, patch] of Object.entries(flagOverrides ?? {})) {
    const f = flags.find((x) => x.name === name);
    if (!f) throw new Error(`command table: ${def.use}: no flag --${name} to adjust`);
    Object.assign(f, patch);
  }
  for (const f of flags) if (f.name === "help") f.isHelp = true;
  return { ...rest, flags };
}

/** A management command (docker swarm, docker node...): no arguments, only sub-commands. */
export function group(def: CommandDef & { subcommands: CommandSpec[] }): CommandSpec {
  return command({ args: args.none(), ...def });
}

/** A Docker command the simulator knows by name only: listed in help, refused when run. */
export function unsupported(use: string, short: string, extra: Partial<CommandSpec> = {}): CommandSpec {
  return { use, short, flags: [], unsupported: true, args: args.any(), ...extra };
}

/** The health-check flags `docker run` and `docker service create|update` share. */
export const HEALTHCHECK_FLAGS = [
  "health-cmd",
  "health-interval",
  "health-retries",
  "health-start-interval",
  "health-start-period",
  "health-timeout",
  "no-healthcheck",
] as const;
