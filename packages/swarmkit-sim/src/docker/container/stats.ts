// `docker stats`: the CLI's default table (ID, NAME, CPU %, MEM USAGE / LIMIT, MEM %, NET I/O,
// BLOCK I/O, PIDS) over the engine's per-container meters. With --no-stream one frame, as
// Docker; streaming redraws until Ctrl-C, and the lab shows the first frame.
import type { ParsedCommand } from "../../cli/grammar/types";
import { bytesSize, humanSizeWithPrecision } from "../../cli/format/size";
import { DOCKER_TABLE, tabwriter } from "../../cli/format/tabwriter";
import type { Engine } from "../../engine/engine";
import { shortId } from "../../engine/ids";
import type { StatsEntry } from "../../engine/engine";
import type { DockerIO } from "../io";
import type { DaemonContext } from "./context";

export const STATS_HEADER = [
  "CONTAINER ID",
  "NAME",
  "CPU %",
  "MEM USAGE / LIMIT",
  "MEM %",
  "NET I/O",
  "BLOCK I/O",
  "PIDS",
];

export function statsRow(s: StatsEntry): string[] {
  return [
    shortId(s.id),
    s.name,
    `${s.cpuPercent.toFixed(2)}%`,
    `${bytesSize(s.memoryBytes)} / ${bytesSize(s.memoryLimitBytes)}`,
    `${s.memoryPercent.toFixed(2)}%`,
    `${humanSizeWithPrecision(s.netRxBytes, 3)} / ${humanSizeWithPrecision(s.netTxBytes, 3)}`,
    `${humanSizeWithPrecision(s.blockReadBytes, 3)} / ${humanSizeWithPrecision(s.blockWriteBytes, 3)}`,
    String(s.pids),
  ];
}

/** The text `docker stats --no-stream` prints for the engine's running containers. */
export function dockerStatsNoStream(engine: Engine): string {
  return tabwriter([STATS_HEADER, ...engine.stats().map(statsRow)], DOCKER_TABLE);
}

export function dockerStats(cmd: ParsedCommand, io: DockerIO, ctx: DaemonContext): number {
  if (!ctx.engine) {
    io.err(
      "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n",
    );
    return 1;
  }
  io.out(dockerStatsNoStream(ctx.engine));
  // Streaming stats redraw until Ctrl-C: the lab shows the first frame.
  if (cmd.flags["no-stream"] !== true)
    io.err("[lab] docker stats streams until Ctrl-C; the lab shows one frame (use --no-stream).\n");
  return 0;
}
