// Small pieces the lab's commands share: the usage message of a command that rejects its
// arguments (status 2, nothing changed), and the simulated clock as the lab prints it.
import type { LabShellCommand } from "../plugin";

export function usage(io: { err(t: string): void }, cmd: LabShellCommand): number {
  io.err(`usage: ${cmd.synopsis}\n`);
  return 2;
}

/** "00:03:12": simulated time since the lab started. */
export function simClock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const hh = String(Math.floor(s / 3600)).padStart(2, "0");
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return `${hh}:${mm}:${ss}`;
}
