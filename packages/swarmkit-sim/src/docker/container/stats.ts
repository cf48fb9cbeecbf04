// `docker stats --no-stream`: the CLI's default table
// (ID, NAME, CPU %, MEM USAGE / LIMIT, MEM %, NET I/O, BLOCK I/O, PIDS) over the engine's
// per-container meters.
import {
  bytesSize,
  DOCKER_TABLE,
  type Engine,
  humanSizeWithPrecision,
  type StatsEntry,
  shortId,
  tabwriter,
} from "@swarm-sim/swarmkit-sim";

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
