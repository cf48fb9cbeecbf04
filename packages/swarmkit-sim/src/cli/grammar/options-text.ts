// Flag tables are written as the Options block of the command's `--help`, unwrapped, e.g.
//   -d, --detach                 Exit immediately instead of waiting for the service to converge
//       --replicas uint          Number of tasks
// so each table reads exactly like Docker's help and can be checked against it line by line.
// The type word after the name gives the parse kind; "(default X)" at the end gives the default.
import { parseGoBool, parseGoDuration, parseGoFloat, parseGoInt, parseGoUint } from "./go-values";
import type { FlagKind, FlagSpec, FlagValue } from "./types";
import { parseTcpAddr } from "./docker-opts";

const FLAG_LINE = /^(\s*)(?:-(\S), )?--([A-Za-z0-9][\w-]*)(?: ([^\s]+))?(\s{2,})(.*)$/;

interface KindInfo {
  kind: FlagKind;
  bits?: number;
}

const KINDS: Record<string, KindInfo> = {
  "": { kind: "bool" },
  string: { kind: "string" },
  int: { kind: "int" },
  int64: { kind: "int" },
  uint: { kind: "uint" },
  uint64: { kind: "uint" },
  uint32: { kind: "uint", bits: 32 },
  uint16: { kind: "uint", bits: 16 },
  uint8: { kind: "uint", bits: 8 },
  float: { kind: "float" },
  duration: { kind: "duration" },
  list: { kind: "list" },
  stringArray: { kind: "list" },
  strings: { kind: "csv" },
  map: { kind: "map" },
  bytes: { kind: "bytes" },
  decimal: { kind: "decimal" },
  filter: { kind: "filter" },
  port: { kind: "port" },
  network: { kind: "network" },
  mount: { kind: "mount" },
  pref: { kind: "pref" },
  "node-addr": { kind: "node-addr" },
  command: { kind: "command" },
  ipNetSlice: { kind: "cidr" },
  "external-ca": { kind: "external-ca" },
  "credential-spec": { kind: "string" },
  "pem-file": { kind: "string" },
  "gpu-request": { kind: "string" },
};

export function kindOf(varname: string): KindInfo {
  return KINDS[varname] ?? { kind: "list" };
}

export function zeroValue(kind: FlagKind): FlagValue {
  switch (kind) {
    case "bool":
      return false;
    case "string":
    case "node-addr":
      return "";
    case "int":
    case "uint":
    case "float":
    case "duration":
    case "bytes":
    case "decimal":
      return 0;
    case "map":
      return {};
    default:
      return [];
  }
}

/** The value a "(default X)" suffix stands for; the zero value when X does not parse. */
export function defaultFromText(kind: FlagKind, text: string | undefined): FlagValue {
  if (text === undefined) return zeroValue(kind);
  const unquoted = /^"(.*)"$/.exec(text)?.[1];
  switch (kind) {
    case "bool": {
      const r = parseGoBool(text);
      return r.ok ? r.value : false;
    }
    case "string":
      return unquoted ?? text;
    case "int": {
      const r = parseGoInt(text);
      return r.ok ? Number(r.value) : 0;
    }
    case "uint": {
      const r = parseGoUint(text);
      return r.ok ? Number(r.value) : 0;
    }
    case "float": {
      const r = parseGoFloat(text);
      return r.ok ? r.value : 0;
    }
    case "duration": {
      const r = parseGoDuration(text);
      return r.ok ? r.value : 0;
    }
    case "node-addr": {
      const r = parseTcpAddr(unquoted ?? text, "0.0.0.0:2377");
      return r.startsWith("error:") ? "" : r;
    }
    case "list":
    case "csv":
    case "filter": {
      const m = /^\[(.*)\]$/.exec(text);
      return m && m[1] !== "" ? m[1].split(",") : [];
    }
    default:
      return zeroValue(kind);
  }
}

/** Parses an Options block (see the file comment) into flag specs, in order. */
export function parseOptionsText(text: string): FlagSpec[] {
  const flags: FlagSpec[] = [];
  let column = -1;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const indent = line.length - line.trimStart().length;
    const m = column >= 0 && indent >= column ? null : FLAG_LINE.exec(line);
    if (m) {
      const [, , short, name, varname = "", , help] = m;
      column = line.length - help.length;
      const info = kindOf(varname);
      flags.push({
        name,
        short,
        varname,
        kind: info.kind,
        bits: info.bits,
        help,
        defaultValue: zeroValue(info.kind),
      });
      continue;
    }
    const last = flags[flags.length - 1];
    if (!last) throw new Error(`options text: cannot read line ${JSON.stringify(line)}`);
    // A continuation of a multi-line help text, indented to the help column.
    last.help += `\n${line.slice(column)}`;
  }
  for (const f of flags) {
    const lastLine = f.help.split("\n").pop()!;
    const d = / \(default (.+)\)$/.exec(lastLine)?.[1];
    f.defaultValue = defaultFromText(f.kind, d);
  }
  return flags;
}
