// The docker command table's vocabulary: commands as cobra defines them (Use line, short text,
// aliases, argument rule, sub-commands) and flags as pflag defines them (long and short names,
// the type name shown in help, the parsed kind, help text, default).

/** How a flag's text is parsed into a value (see values.ts). */
export type FlagKind =
  | "bool"
  | "string"
  | "int" // signed, bitSize from FlagSpec.bits (default 64)
  | "uint" // unsigned, bitSize from FlagSpec.bits (default 64)
  | "float"
  | "duration" // Go syntax ("1m30s"); the value is in milliseconds
  | "list" // repeatable, each occurrence one string
  | "csv" // repeatable, each occurrence split on commas (pflag stringSlice)
  | "map" // repeatable key=value
  | "bytes" // "512m" -> bytes (go-units RAMInBytes)
  | "decimal" // "0.5" CPUs -> nano CPUs
  | "filter" // repeatable name=value, name lower-cased
  | "port" // service --publish: short or long syntax -> PortConfig[]
  | "network" // --network name or name=...,alias=...
  | "mount" // --mount key=value,... (validated, kept as text)
  | "pref" // --placement-pref spread=node.labels.x
  | "node-addr" // host[:port] with the listen default port
  | "command" // shell-like words (--entrypoint, --args)
  | "cidr" // repeatable CIDR
  | "external-ca"; // protocol=cfssl,url=...

export interface PortConfig {
  protocol: "tcp" | "udp" | "sctp";
  targetPort: number;
  /** 0 when the swarm should pick one. */
  publishedPort: number;
  publishMode: "ingress" | "host";
}

export interface NetworkAttachment {
  target: string;
  aliases: string[];
  driverOpts: Record<string, string>;
  ipv4Address?: string;
  ipv6Address?: string;
}

export interface PlacementPreference {
  strategy: "spread";
  descriptor: string;
}

export type FlagValue =
  | boolean
  | string
  | number
  | string[]
  | Record<string, string>
  | PortConfig[]
  | NetworkAttachment[]
  | PlacementPreference[];

export interface FlagSpec {
  /** Long name, without dashes. */
  name: string;
  /** One-letter short name, without the dash. */
  short?: string;
  /** The type word help shows after the flag ("string", "list", "duration"); "" for booleans. */
  varname: string;
  kind: FlagKind;
  /** Bit size for int/uint kinds (8, 16, 32, 64). */
  bits?: number;
  /** Number base for int/uint kinds: 0 (Go literal syntax, as pflag and the Docker CLI use) or 10. */
  base?: 0 | 10;
  /** bytes kind: also accepts -1 (docker run --memory-swap -1 means unlimited). */
  minusOne?: boolean;
  /** Help text exactly as printed after the aligned flag column (may hold newlines). */
  help: string;
  /** The value before the user sets anything. */
  defaultValue: FlagValue;
  /** Value used when the flag is given without "=value" (booleans: true). */
  noOptValue?: string;
  hidden?: boolean;
  /** pflag's deprecation note: the flag still works but prints "Flag --x has been deprecated, <note>". */
  deprecated?: string;
  /** The short form is deprecated: "Flag shorthand -h has been deprecated, <note>". */
  shorthandDeprecated?: string;
  /** Hidden unless the daemon runs on this OS (flag annotation "ostype"). */
  osType?: "linux" | "windows";
  /** Hidden unless the daemon has experimental features (annotation "experimental"). */
  experimental?: boolean;
  /** Inherited by sub-commands (cobra persistent flag). */
  persistent?: boolean;
  /** Help flag: asking for it prints the command's help. */
  isHelp?: boolean;
}

/** cobra.PositionalArgs as the Docker CLI uses them. */
export type ArgsRule =
  | { kind: "any" }
  | { kind: "none" }
  | { kind: "exact"; n: number }
  | { kind: "min"; n: number }
  | { kind: "max"; n: number }
  | { kind: "range"; min: number; max: number };

/** Where a root sub-command is listed in `docker --help`. */
export type RootSection = "common" | "management" | "swarm" | "commands";

export interface CommandSpec {
  /** cobra Use: the name, then the argument synopsis ("join [OPTIONS] HOST:PORT"). */
  use: string;
  short: string;
  long?: string;
  /** Other names under the same parent ("list" for "ls"). */
  aliases?: string[];
  /** The "Aliases:" help line when Docker sets it explicitly (e.g. for `docker ps`). */
  aliasesLine?: string;
  args?: ArgsRule;
  /** false: flags stop at the first argument (docker run IMAGE --flags-of-the-command). */
  interspersed?: boolean;
  flags: FlagSpec[];
  subcommands?: CommandSpec[];
  /**
   * The handler key. Commands that are the same command under two names (`docker ps` and
   * `docker container ls`) share one id. Defaults to the canonical path joined with spaces.
   */
  id?: string;
  /** Swarm annotation: hidden from help unless the node is a manager / in a swarm. */
  swarm?: "manager" | "active" | "";
  /** Experimental daemons only (hidden otherwise). */
  experimental?: boolean;
  /** Hidden from help listings but still runnable. */
  hidden?: boolean;
  /** Known to Docker but not modelled: running it says so. */
  unsupported?: boolean;
  /**
   * Flags Docker takes here that the simulator does not model. The grammar parses them as
   * Docker does; the dispatcher then refuses the command and says so, rather than run it
   * without them.
   */
  unsupportedFlags?: readonly string[];
  /** A CLI plugin (docker compose): listed with a "*" in `docker --help`. */
  plugin?: boolean;
  /** Placement in `docker --help` (root children only). */
  section?: RootSection;
  /** Order among "Common Commands" (Docker's category-top annotation). */
  topOrder?: number;
  /** `docker swarm update` with no flags prints its help instead of running. */
  helpIfNoFlags?: boolean;
  /** Extra argument checks the CLI does before contacting the daemon. */
  validate?: (ctx: ValidateContext) => string | undefined;
  /** The tool family, for error formats: docker's own commands or the compose plugin's. */
  family?: "docker" | "compose";
}

export interface ValidateContext {
  args: readonly string[];
  flags: Readonly<Record<string, FlagValue>>;
  changed: ReadonlySet<string>;
  commandPath: string;
  useLine: string;
  short: string;
}

/** What a handler receives. */
export interface ParsedCommand {
  /** The binary typed: "docker", or "docker-compose" (the legacy Compose binary). */
  program: "docker" | "docker-compose";
  /** Canonical command path, e.g. ["swarm", "init"]; `docker ps` gives ["container", "ls"]. */
  path: string[];
  /** The path as typed (aliases resolved to names): ["ps"], ["container", "list"] -> ["container", "ls"]. */
  typedPath: string[];
  /** Handler key: path.join(" "), or the spec's id. */
  id: string;
  /** Every flag of the command by long name, defaults filled in. */
  flags: Record<string, FlagValue>;
  /** Long names of the flags the user gave. */
  changed: Set<string>;
  /** The raw text of each given flag, per occurrence, by long name. */
  raw: Record<string, string[]>;
  /** Positional arguments. */
  args: string[];
  /** Flags given before the command (docker -H/--debug..., compose -f/-p...), defaults filled. */
  globals: Record<string, FlagValue>;
  globalsChanged: Set<string>;
  /** "docker swarm init": the command path as the CLI prints it. */
  commandPath: string;
  /** "docker swarm init [OPTIONS]": for usage messages. */
  useLine: string;
  /** The full argument vector after the program name. */
  argv: string[];
}
