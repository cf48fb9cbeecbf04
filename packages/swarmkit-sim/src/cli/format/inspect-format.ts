// `docker node|service|network inspect [--format]` (cli/command/inspect/inspector.go). With no
// format: the objects as indented JSON; "json": compact JSON; a template: executed per object
// over the typed object the CLI decoded (times print as Go's time.Time, durations as "10s").
// Where the CLI kept the raw JSON too (network inspect), a failed run is retried over the JSON
// decoded into maps with missingkey=error, and that run's error is the one reported ("map has
// no entry for key ..."). Objects are given as the JSON the daemon sends.
import { type GoSchema, typedFromJson } from "./go-schema";
import {
  EMPTY_INTERFACE,
  type GoField,
  GoTemplate,
  type GoValue,
  goDuration,
  goMap,
  goNil,
  goSlice,
  goStruct,
  goTime,
  NIL_INTERFACE,
  TemplateError,
} from "./template";

export interface InspectOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Keys whose JSON objects are Go maps (label sets, driver options...), not structs. */
const MAP_KEYS = new Set(["Labels", "Options", "Containers", "Details", "DriverOpts", "Config"]);
/** Keys whose JSON strings are time.Time. */
const TIME_KEYS = new Set(["CreatedAt", "UpdatedAt", "Created", "Timestamp", "StartedAt", "CompletedAt"]);
/** Keys whose JSON numbers are time.Duration (nanoseconds). */
const DURATION_KEYS = new Set([
  "StopGracePeriod",
  "Delay",
  "Monitor",
  "Window",
  "HeartbeatPeriod",
  "NodeCertExpiry",
]);

export interface InspectOptions {
  /** The Go type the CLI decodes each object into, and its declarations; else guessed from the JSON. */
  type?: { name: string; schema: GoSchema };
  /** The CLI kept the raw JSON (NetworkInspectWithRaw), so a failed template is retried over it. */
  rawFallback?: boolean;
  /** Exit code of a template that does not parse: 64, or 1 where the command wraps the error. */
  parseErrorCode?: number;
}

/**
 * Renders found objects; `errors` are the lookups that failed, printed after them (joined, exit
 * 1). A template that does not parse fails before anything is printed.
 */
export function renderInspect(
  elements: readonly unknown[],
  errors: readonly string[],
  format: string,
  opts: InspectOptions = {},
): InspectOutput {
  const fail = (stdout: string, errs: readonly string[]): InspectOutput => ({
    stdout,
    stderr: errs.length ? `${errs.join("\n")}\n` : "",
    exitCode: errs.length ? 1 : 0,
  });
  if (format === "") return fail(`${JSON.stringify(elements, null, 4)}\n`, errors);
  if (format === "json") return fail(`${JSON.stringify(elements)}\n`, errors);
  let tmpl: GoTemplate;
  try {
    tmpl = GoTemplate.parse(format);
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    return {
      stdout: "",
      stderr: `template parsing error: ${e.message}\n`,
      exitCode: opts.parseErrorCode ?? 64,
    };
  }
  let out = "";
  const errs: string[] = [];
  for (const element of elements) {
    const value = opts.type
      ? typedFromJson(element, opts.type.name, opts.type.schema)
      : typedValue(element, "");
    const typed = tmpl.execute(value);
    if (!typed.error) {
      out += `${typed.output}\n`;
      continue;
    }
    if (!opts.rawFallback) {
      errs.push(`template parsing error: ${typed.error.message}`);
      continue;
    }
    const raw = tmpl.execute(rawValue(element), { missingKey: "error" });
    if (raw.error) errs.push(`template parsing error: ${raw.error.message}`);
    else out += `${raw.output}\n`;
  }
  return fail(out === "" ? "\n" : out, [...errs, ...errors]);
}

/** The JSON as the CLI's typed structs would hold it. */
function typedValue(v: unknown, key: string): GoValue {
  if (v === null || v === undefined)
    return MAP_KEYS.has(key) ? goMap("map[string]string", [], { nil: true }) : goNil("*struct {}");
  if (typeof v === "string") {
    if (TIME_KEYS.has(key) && !Number.isNaN(Date.parse(v))) return goTime(Date.parse(v));
    return v;
  }
  if (typeof v === "number") return DURATION_KEYS.has(key) ? goDuration(v / 1e6) : v;
  if (typeof v === "boolean") return v;
  if (Array.isArray(v)) {
    const items = v.map((x) => typedValue(x, ""));
    return goSlice(items.every((x) => typeof x === "string") ? "[]string" : "[]struct {}", items);
  }
  const entries = Object.entries(v as Record<string, unknown>);
  if (MAP_KEYS.has(key))
    return goMap(
      "map[string]string",
      entries.map(([k, x]) => [k, typedValue(x, "")]),
    );
  const fields: GoField[] = entries.map(([k, x]) => ({ name: k, value: typedValue(x, k) }));
  // swarm.Version prints its index (it is a fmt.Stringer).
  if (key === "Version" && entries.length === 1 && entries[0][0] === "Index")
    return goStruct("swarm.Version", fields, { stringer: () => String(entries[0][1]) });
  return goStruct("struct {}", fields);
}

/** The JSON decoded into interface{} values, as the CLI's fallback does (numbers as json.Number). */
function rawValue(v: unknown): GoValue {
  if (v === null || v === undefined) return NIL_INTERFACE;
  if (typeof v === "number") return { kind: "scalar", type: "json.Number", value: String(v), number: true };
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (Array.isArray(v)) return goSlice("[]interface {}", v.map(rawValue), EMPTY_INTERFACE);
  return goMap(
    "map[string]interface {}",
    Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, rawValue(x)]),
    { elemType: EMPTY_INTERFACE },
  );
}
