// `docker ps` output as the Docker CLI prints it: the default table
// (CONTAINER ID, IMAGE, COMMAND, CREATED, STATUS, PORTS, NAMES; IDs cut to 12 characters, the
// command quoted and cut to 20 with "…"), -q, --no-trunc, and simple --format templates.
import { humanDuration } from "../cli/format/duration";
import { tabwriter } from "../cli/format/tabwriter";
import { ellipsis, truncateId } from "../cli/format/text";
import { type LabContainer, statusText } from "./containers";

export interface PsOptions {
  quiet?: boolean;
  noTrunc?: boolean;
  /** A Go template such as "{{.Names}}" or "table {{.ID}}\t{{.Status}}". */
  format?: string;
}

const HEADERS: Record<string, string> = {
  ID: "CONTAINER ID",
  Image: "IMAGE",
  Command: "COMMAND",
  CreatedAt: "CREATED AT",
  RunningFor: "CREATED",
  Status: "STATUS",
  State: "STATE",
  Ports: "PORTS",
  Names: "NAMES",
  Size: "SIZE",
  Networks: "NETWORKS",
};

const DEFAULT_FORMAT =
  "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

/** Go's strconv.Quote for the printable ASCII and UTF-8 text a command holds. */
function goQuote(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\t/g, "\\t")}"`;
}

function field(c: LabContainer, name: string, now: number, noTrunc: boolean): string | undefined {
  switch (name) {
    case "ID":
      return noTrunc ? c.id : truncateId(c.id);
    case "Image":
      return c.image;
    case "Command":
      return goQuote(noTrunc ? c.command : ellipsis(c.command, 20));
    case "RunningFor":
      return `${humanDuration(now - c.createdAt)} ago`;
    case "Status":
      return statusText(c, now);
    case "State":
      return c.state();
    case "Ports":
      return c.ports();
    case "Names":
      return c.name;
    default:
      return undefined;
  }
}

/** Renders one template over one container; unknown fields render as Go's "<no value>". */
function render(template: string, c: LabContainer, now: number, noTrunc: boolean): string {
  return template.replace(
    /\{\{\s*\.(\w+)\s*\}\}/g,
    (_m, name: string) => field(c, name, now, noTrunc) ?? "<no value>",
  );
}

export function formatPs(containers: readonly LabContainer[], now: number, opts: PsOptions = {}): string {
  if (opts.quiet) return containers.map((c) => `${opts.noTrunc ? c.id : truncateId(c.id)}\n`).join("");
  let format = opts.format && opts.format !== "table" ? opts.format : DEFAULT_FORMAT;
  // Templates arrive with literal "\t" from the shell, as the Go CLI reads them.
  format = format.replace(/\\t/g, "\t").replace(/\\n/g, "\n");
  if (!format.startsWith("table")) {
    return containers.map((c) => `${render(format, c, now, !!opts.noTrunc)}\n`).join("");
  }
  const body = format.replace(/^table\s*/, "");
  const header = body.replace(
    /\{\{\s*\.(\w+)\s*\}\}/g,
    (_m, name: string) => HEADERS[name] ?? name.toUpperCase(),
  );
  const rows = [header, ...containers.map((c) => render(body, c, now, !!opts.noTrunc))].map((line) =>
    line.split("\t"),
  );
  return tabwriter(rows);
}
