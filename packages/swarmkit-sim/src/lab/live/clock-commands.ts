// The live lab's clock commands: `speed N` (simulated time per wall-clock time), `pause`,
// `resume`. They act on the pacer (the wall-clock loop) and never on the simulation: what
// happens in the world does not depend on them, only when it happens on the wall clock. A
// replay (no pacer) runs them as text.
import type { LabPlugin, LabShellCommand } from "../plugin";
import { simClock } from "../commands/usage";
import { usage } from "../commands/usage";

/** What the clock commands change (the pacer). */
export interface ClockControl {
  readonly speed: number;
  readonly paused: boolean;
  setSpeed(speed: number): void;
  pause(): void;
  resume(): void;
  /** `sleep` or `advance` moved the simulated time ahead at once: follow from there. */
  jumped(): void;
}

export const MAX_SPEED = 10_000;
export const CLOCK_PLUGIN = "live-clock";

/** "1", "0.5", "20x": a speed in (0, MAX_SPEED]. */
export function parseSpeed(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?|\.\d+)x?$/.exec(text);
  if (!m) return undefined;
  const v = Number(m[1]);
  return v > 0 && v <= MAX_SPEED ? v : undefined;
}

function speedText(v: number): string {
  return `${Number(v.toFixed(3))}x`;
}

export function clockCommandsPlugin(control: () => ClockControl | undefined): LabPlugin {
  const speed: LabShellCommand = {
    name: "speed",
    group: "time",
    synopsis: "speed [N]",
    description: "how fast simulated time flows in a live lab (1: as the wall clock; 10: ten times faster)",
    run: (argv, io, sh) => {
      const c = control();
      if (argv.length === 0) {
        io.out(
          `[lab] speed ${c ? speedText(c.speed) : "-"}${c?.paused ? " (paused)" : ""}; simulated time ${simClock(sh.node.machine.sim.now())}\n`,
        );
        return 0;
      }
      const v = argv.length === 1 ? parseSpeed(argv[0]) : undefined;
      if (v === undefined) {
        io.err(`speed: invalid speed '${argv.join(" ")}' (a number above 0, at most ${MAX_SPEED})\n`);
        return usage(io, speed);
      }
      c?.setSpeed(v);
      io.out(`[lab] simulated time now flows at ${speedText(v)}${c?.paused ? " once resumed" : ""}\n`);
      return 0;
    },
  };
  const pause: LabShellCommand = {
    name: "pause",
    group: "time",
    synopsis: "pause",
    description: "stop the clock of a live lab (sleep and advance still move it)",
    run: (argv, io, sh) => {
      if (argv.length > 0) return usage(io, pause);
      control()?.pause();
      io.out(`[lab] the clock is paused at ${simClock(sh.node.machine.sim.now())} (resume to go on)\n`);
      return 0;
    },
  };
  const resume: LabShellCommand = {
    name: "resume",
    group: "time",
    synopsis: "resume",
    description: "let the clock of a live lab flow again",
    run: (argv, io) => {
      if (argv.length > 0) return usage(io, resume);
      const c = control();
      c?.resume();
      io.out(`[lab] the clock flows again at ${c ? speedText(c.speed) : "1x"}\n`);
      return 0;
    },
  };
  return {
    name: CLOCK_PLUGIN,
    install(host) {
      for (const cmd of [speed, pause, resume]) host.registerShellCommand(cmd);
    },
  };
}
