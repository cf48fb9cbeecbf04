// `docker stats`: the CLI's default table (ID, NAME, CPU %, MEM USAGE / LIMIT, MEM %, NET I/O,
// BLOCK I/O, PIDS) over the engine's per-container meters. With --no-stream one frame, as
// Docker; streaming on a terminal (a live lab) redraws every second until Ctrl-C; elsewhere (a
// transcript) the lab shows the first frame.
import type { ParsedCommand } from "../../cli/grammar/types";
import { type Job, redrawAfter } from "../../cli/job";
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

/** The CLI clears the screen and homes the cursor before each frame. */
const CLEAR_SCREEN = "\x1b[2J\x1b[H";
const STATS_REDRAW_MS = 1000;

export function dockerStats(cmd: ParsedCommand, io: DockerIO, ctx: DaemonContext): number | Job<number> {
  if (!ctx.engine) {
    io.err(
      "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n",
    );
    return 1;
  }
  const engine = ctx.engine;
  if (cmd.flags["no-stream"] !== true && io.stdoutIsTerminal) return streamStats(io, engine);
  io.out(dockerStatsNoStream(engine));
  // Streaming stats redraw until Ctrl-C: a transcript shows the first frame.
  if (cmd.flags["no-stream"] !== true)
    io.err("[lab] docker stats streams until Ctrl-C; the lab shows one frame (use --no-stream).\n");
  return 0;
}

/** Redraws the table every second until Ctrl-C (which ends the CLI: status 130). */
function* streamStats(io: DockerIO, engine: Engine): Job<number> {
  for (;;) {
    io.out(CLEAR_SCREEN + dockerStatsNoStream(engine));
    yield* redrawAfter(STATS_REDRAW_MS);
  }
}
