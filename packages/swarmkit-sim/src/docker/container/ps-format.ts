// `docker ps` output as the Docker CLI prints it (cli/command/formatter/container.go): the
// default table (CONTAINER ID, IMAGE, COMMAND, CREATED, STATUS, PORTS, NAMES; IDs cut to 12
// characters, the command quoted and cut to 20 with "…"), -q, --no-trunc, -s, and --format
// templates over the CLI's container columns.
import { humanDuration } from "../../cli/format/duration";
import {
  type HeaderMap,
  listContext,
  RAW_FORMAT,
  TABLE_FORMAT,
  writeFormatted,
} from "../../cli/format/formatter";
import { humanSizeWithPrecision } from "../../cli/format/size";
import { ellipsis, truncateId } from "../../cli/format/text";
import { formatValue, type GoStruct, goNil, goTime } from "../../cli/format/template";
import { goQuote } from "../../cli/grammar/go-values";
import { type ContainerView, statusText } from "./containers";

export interface PsOptions {
  quiet?: boolean;
  noTrunc?: boolean;
  /** -s: add the SIZE column to the default table. */
  size?: boolean;
  /** A Go template such as "{{.Names}}" or "table {{.ID}}\t{{.Status}}". */
  format?: string;
  /** The simulated wall clock's origin (CreatedAt prints a wall time). */
  epochMs?: number;
}

export const CONTAINER_HEADER: HeaderMap = {
  ID: "CONTAINER ID",
  Names: "NAMES",
  Image: "IMAGE",
  Command: "COMMAND",
  CreatedAt: "CREATED AT",
  RunningFor: "CREATED",
  Ports: "PORTS",
  State: "STATE",
  Status: "STATUS",
  Size: "SIZE",
  Labels: "LABELS",
  Mounts: "MOUNTS",
  LocalVolumes: "LOCAL VOLUMES",
  Networks: "NETWORKS",
  Platform: "PLATFORM",
};

/**
 * A container's CreatedAt as the CLI prints it: the API gives whole seconds, printed with Go's
 * time.Time String. `createdAt` is simulated time, `epochMs` the simulated wall clock's origin.
 */
export function createdAtText(epochMs: number, createdAt: number): string {
  return formatValue(goTime(Math.floor((epochMs + createdAt) / 1000) * 1000));
}

const DEFAULT_FORMAT =
  "table {{.ID}}\\t{{.Image}}\\t{{.Command}}\\t{{.RunningFor}}\\t{{.Status}}\\t{{.Ports}}\\t{{.Names}}";

/** formatter.NewContainerFormat: -q wins over a custom format, as in the CLI. */
export function containerFormat(source: string, quiet: boolean, size: boolean): string {
  if (source === TABLE_FORMAT || source === "") {
    if (quiet) return "{{.ID}}";
    return size ? `${DEFAULT_FORMAT}\\t{{.Size}}` : DEFAULT_FORMAT;
  }
  if (source === RAW_FORMAT) {
    if (quiet) return "container_id: {{.ID}}";
    return `container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\ncreated_at: {{.CreatedAt}}\nstate: {{- pad .State 1 0}}\nstatus: {{- pad .Status 1 0}}\nnames: {{.Names}}\nlabels: {{- pad .Labels 1 0}}\nports: {{- pad .Ports 1 0}}\n${size ? "size: {{.Size}}\\n" : ""}`;
  }
  return quiet ? "{{.ID}}" : source;
}

/** The networks a container is on, when it knows them (the docker:dind nodes do). */
function networksOf(c: ContainerView): string {
  const withNetworks = c as ContainerView & { networks?: () => string[] };
  return typeof withNetworks.networks === "function" ? [...withNetworks.networks()].sort().join(",") : "";
}

export function containerContext(c: ContainerView, now: number, trunc: boolean, epochMs: number): GoStruct {
  return listContext(
    "formatter.ContainerContext",
    {
      ID: () => (trunc ? truncateId(c.id) : c.id),
      Names: () => c.name,
      Image: () => c.image,
      Command: () => goQuote(trunc ? ellipsis(c.command, 20) : c.command),
      // The API gives whole seconds; the CLI prints them with time.Time's String.
      CreatedAt: () => createdAtText(epochMs, c.createdAt),
      RunningFor: () => `${humanDuration(now - c.createdAt)} ago`,
      Platform: () => goNil("*formatter.Platform"),
      Ports: () => c.ports(),
      State: () => c.state(),
      Status: () => statusText(c, now),
      Size: () => humanSizeWithPrecision(0, 3),
      Labels: () => "",
      Mounts: () => "",
      LocalVolumes: () => "0",
      Networks: () => networksOf(c),
    },
    { Label: { params: ["string"], call: () => "" } },
  );
}

/** Renders `docker ps`; throws FormatError for a template that fails. */
export function formatPs(containers: readonly ContainerView[], now: number, opts: PsOptions = {}): string {
  const quiet = !!opts.quiet;
  const format = containerFormat(opts.format ?? "", quiet, !!opts.size);
  const rows = containers.map((c) => containerContext(c, now, !opts.noTrunc, opts.epochMs ?? 0));
  return writeFormatted(format, CONTAINER_HEADER, rows);
}
