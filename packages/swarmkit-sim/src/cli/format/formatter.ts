// The Docker CLI's list formatter (cli/command/formatter/formatter.go): `--format` for
// `node ls`, `service ls|ps`, `ps`, `network ls`, `stack ls|ps|services`. A "table ..." format
// renders a header row (the same template over the column names, through HeaderFunctions)
// and aligns everything with the tabwriter; "json" is `{{json .}}`, one object per line;
// anything else is a template printed once per row. Literal "\t" and "\n" in the format
// become a tab and a newline, and surrounding spaces are dropped.
import { tabwriteText } from "./tabwriter";
import {
  type GoMethod,
  type GoStruct,
  GoTemplate,
  type GoValue,
  goJson,
  goMap,
  goStruct,
  HEADER_FUNCTIONS,
  NIL_INTERFACE,
  TemplateError,
} from "./template";

/** A --format that failed: `message` is what the CLI prints ("template parsing error: ..."). */
export class FormatError extends Error {}

/** The CLI's own format keys. */
export const TABLE_FORMAT = "table";
export const RAW_FORMAT = "raw";
export const JSON_FORMAT = "json";
export const DEFAULT_QUIET_FORMAT = "{{.ID}}";

/** Column name → header, as each command's SubHeaderContext maps them. */
export type HeaderMap = Readonly<Record<string, string>>;

/**
 * Renders rows through a format that the command has already resolved (its NewFormat: "table"
 * becomes its default table, -q its quiet format). Throws FormatError.
 */
export function writeFormatted(format: string, header: HeaderMap, rows: readonly GoValue[]): string {
  const isTable = format.startsWith(TABLE_FORMAT);
  let body = isTable ? format.slice(TABLE_FORMAT.length) : format === JSON_FORMAT ? "{{json .}}" : format;
  body = body.replace(/^ +| +$/g, "").replace(/\\t|\\n/g, (m) => (m === "\\t" ? "\t" : "\n"));
  const tmpl = parseOrThrow(body);
  let out = "";
  for (const row of rows) {
    const r = tmpl.execute(row);
    if (r.error) throw new FormatError(`template parsing error: ${r.error.message}`);
    out += `${r.output}\n`;
  }
  if (!isTable) return out;
  // The header run's errors are ignored: what it wrote so far is the header.
  const headerRow = tmpl
    .withFunctions(HEADER_FUNCTIONS)
    .execute(goMap("formatter.SubHeaderContext", Object.entries(header))).output;
  return tabwriteText(`${headerRow}\n${out}`, { minwidth: 10, padding: 3 });
}

export function parseOrThrow(source: string): GoTemplate {
  try {
    return GoTemplate.parse(source);
  } catch (e) {
    if (e instanceof TemplateError) throw new FormatError(`template parsing error: ${e.message}`);
    throw e;
  }
}

/**
 * A row of a list (the CLI's nodeContext, serviceContext...): a pointer to a struct of Go type
 * `type` ("node.nodeContext", which errors name "*node.nodeContext") whose
 * columns are methods. `{{json .}}` encodes every argument-less method, keys sorted, through
 * json.Marshal (so "<", ">" and "&" come out as \u003c, \u003e, \u0026).
 */
export function listContext(
  type: string,
  columns: Readonly<Record<string, () => GoValue>>,
  methodsWithArgs: Readonly<Record<string, GoMethod>> = {},
): GoStruct {
  const methods: Record<string, GoMethod> = { FullHeader: { params: [], call: () => NIL_INTERFACE } };
  for (const [name, call] of Object.entries(columns)) methods[name] = { params: [], call };
  Object.assign(methods, methodsWithArgs);
  const headerContext = goStruct("formatter.HeaderContext", [
    { name: "Header", value: NIL_INTERFACE, type: "interface {}" },
  ]);
  return goStruct(type, [{ name: "HeaderContext", value: headerContext, embedded: true }], {
    pointer: true,
    methods,
    marshalJSON: () => {
      const keys = Object.keys(columns).sort();
      return `{${keys.map((k) => `${goJson(k)}:${goJson(columns[k]())}`).join(",")}}`;
    },
  });
}

/**
 * A list command's NewFormat: "table" is its default table (or, with -q, `{{.ID}}`), "raw" its
 * raw layout if it has one; anything else is the user's template.
 */
export function listFormat(
  source: string,
  quiet: boolean,
  table: string,
  raw?: { readonly quiet: string; readonly full: string },
): string {
  if (source === TABLE_FORMAT) return quiet ? DEFAULT_QUIET_FORMAT : table;
  if (raw && source === RAW_FORMAT) return quiet ? raw.quiet : raw.full;
  return source;
}

/** Writes formatted rows, or the CLI's error (exit 1) when the format fails. */
export function printFormatted(
  io: { out(text: string): void; err(text: string): void },
  format: string,
  header: HeaderMap,
  rows: readonly GoValue[],
): number {
  try {
    io.out(writeFormatted(format, header, rows));
    return 0;
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    io.err(`${e.message}\n`);
    return 1;
  }
}
