// The lab's time commands: `sleep` and `advance` let simulated time pass (they wait as jobs:
// the host loop moves the clock), `date` reads a node's clock.
import { formatGoDuration } from "../../cli/format/duration";
import { parseSleepDuration } from "../../cli/grammar/go-values";
import { forMs } from "../../cli/job";
import { MONTHS, WEEKDAYS } from "../../engine/human";
import type { LabShellCommand } from "../plugin";
import type { LabWorld } from "../world";
import { simClock, usage } from "./usage";

/** `date` as coreutils prints it in UTC: "Thu Jan  1 00:00:05 UTC 2026". */
export function formatDate(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${pad(
    d.getUTCHours(),
  )}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

export const sleep: LabShellCommand = {
  name: "sleep",
  group: "time",
  synopsis: "sleep N[s|m|h|d]...",
  description: "wait N seconds of simulated time (sleep 30, sleep 2m)",
  *run(argv, io, sh) {
    if (argv.length === 0) {
      io.err(
        sh.busybox
          ? "BusyBox v1.37.0 multi-call binary.\n\nUsage: sleep [N]...\n"
          : "sleep: missing operand\nTry 'sleep --help' for more information.\n",
      );
      return 1;
    }
    let total = 0;
    for (const a of argv) {
      const ms = parseSleepDuration(a);
      if (ms === undefined) {
        io.err(
          sh.busybox
            ? `sleep: invalid number '${a}'\n`
            : `sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`,
        );
        return 1;
      }
      total += ms;
    }
    yield* forMs(total, true);
    return 0;
  },
};

export function advance(world: LabWorld): LabShellCommand {
  const cmd: LabShellCommand = {
    name: "advance",
    group: "time",
    synopsis: "advance DURATION",
    description: "let time pass and print the clock (advance 1h30m)",
    *run(argv, io) {
      const ms = argv.length === 1 ? parseSleepDuration(argv[0]) : undefined;
      if (ms === undefined) return usage(io, cmd);
      yield* forMs(ms, true);
      io.out(`[lab] advanced ${formatGoDuration(ms)}; simulated time is now ${simClock(world.sim.now())}\n`);
      return 0;
    },
  };
  return cmd;
}

export function date(world: LabWorld): LabShellCommand {
  return {
    name: "date",
    group: "time",
    synopsis: "date",
    description: "the simulated date and time on this node",
    run: (_argv, io, sh) => {
      io.out(`${formatDate(world.sim.epochMs + sh.node.machine.localNow())}\n`);
      return 0;
    },
  };
}
