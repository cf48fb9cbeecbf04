// Faults as data: a schedule is a list of timed actions, so a failing run can be printed,
// saved, shrunk by fast-check and replayed exactly.
import fc from "fast-check";
import type { Sim } from "./sim";

export type FaultKind =
  | "partition"
  | "heal"
  | "cut"
  | "isolate"
  | "crash"
  | "restart"
  | "pause"
  | "resume"
  | "lossBurst"
  | "clockSkew";

export type FaultAction = { at: number } & (
  | { kind: "partition"; groups: string[][] }
  | { kind: "heal" }
  | { kind: "cut"; from: string; to: string }
  | { kind: "isolate"; machine: string }
  | { kind: "crash"; machine: string }
  | { kind: "restart"; machine: string }
  | { kind: "pause"; machine: string }
  | { kind: "resume"; machine: string }
  | { kind: "lossBurst"; loss: number; durationMs: number }
  | { kind: "clockSkew"; machine: string; skewMs: number }
);

/** Carries out one action now. */
export function applyFault(sim: Sim, action: FaultAction): void {
  sim.trace.record("fault", { ...action });
  switch (action.kind) {
    case "partition":
      sim.net.partition(action.groups);
      break;
    case "heal":
      sim.net.heal();
      break;
    case "cut":
      sim.net.cut(action.from, action.to);
      break;
    case "isolate":
      sim.net.isolate(action.machine);
      break;
    case "crash":
      sim.machine(action.machine).crash();
      break;
    case "restart": {
      const m = sim.machine(action.machine);
      if (m.state === "paused") m.resume();
      if (m.isUp()) m.restart();
      else m.start();
      break;
    }
    case "pause":
      sim.machine(action.machine).pause();
      break;
    case "resume":
      sim.machine(action.machine).resume();
      break;
    case "lossBurst":
      sim.net.lossBurst(action.loss, action.durationMs);
      break;
    case "clockSkew":
      sim.machine(action.machine).setClockSkew(action.skewMs);
      break;
  }
}

/** Schedules every action at its time (relative to now). */
export function applyFaults(sim: Sim, schedule: readonly FaultAction[]): void {
  const base = sim.now();
  for (const a of schedule) sim.at(base + a.at, () => applyFault(sim, a), `fault:${a.kind}`);
}

/** Undoes every fault: heals the network, boots crashed machines, resumes paused ones, clears skew. */
export function healAll(sim: Sim, machines: readonly string[] = sim.machineNames()): void {
  sim.net.heal();
  for (const name of machines) {
    const m = sim.machine(name);
    if (m.state === "paused") m.resume();
    if (!m.isUp()) m.start();
    m.setClockSkew(0);
  }
  sim.trace.record("fault.healAll", {});
}

export interface FaultScheduleOptions {
  machines: readonly string[];
  /** Actions happen in [0, horizonMs). */
  horizonMs: number;
  maxActions?: number;
  /** Which kinds may appear (default: all). */
  kinds?: readonly FaultKind[];
}

const ALL_KINDS: readonly FaultKind[] = [
  "partition",
  "heal",
  "cut",
  "isolate",
  "crash",
  "restart",
  "pause",
  "resume",
  "lossBurst",
  "clockSkew",
];

/** A fast-check arbitrary of fault schedules, sorted by time; shrinks towards fewer, simpler actions. */
export function faultScheduleArb(opts: FaultScheduleOptions): fc.Arbitrary<FaultAction[]> {
  const machines = [...opts.machines];
  const kinds = new Set(opts.kinds ?? ALL_KINDS);
  const at = fc.integer({ min: 0, max: Math.max(0, opts.horizonMs - 1) });
  const machine = fc.constantFrom(...machines);
  const options: fc.Arbitrary<FaultAction>[] = [];
  if (kinds.has("heal")) options.push(at.map((t) => ({ at: t, kind: "heal" as const })));
  if (kinds.has("crash"))
    options.push(fc.record({ at, machine }).map((r) => ({ ...r, kind: "crash" as const })));
  if (kinds.has("restart"))
    options.push(fc.record({ at, machine }).map((r) => ({ ...r, kind: "restart" as const })));
  if (kinds.has("pause"))
    options.push(fc.record({ at, machine }).map((r) => ({ ...r, kind: "pause" as const })));
  if (kinds.has("resume"))
    options.push(fc.record({ at, machine }).map((r) => ({ ...r, kind: "resume" as const })));
  if (kinds.has("isolate"))
    options.push(fc.record({ at, machine }).map((r) => ({ ...r, kind: "isolate" as const })));
  if (kinds.has("partition") && machines.length > 1)
    options.push(
      fc
        .record({
          at,
          side: fc.array(fc.boolean(), { minLength: machines.length, maxLength: machines.length }),
        })
        .map(({ at: t, side }) => ({
          at: t,
          kind: "partition" as const,
          groups: [machines.filter((_, i) => side[i]), machines.filter((_, i) => !side[i])],
        })),
    );
  if (kinds.has("cut") && machines.length > 1)
    options.push(
      fc
        .record({ at, from: machine, to: machine })
        .filter((r) => r.from !== r.to)
        .map((r) => ({ ...r, kind: "cut" as const })),
    );
  if (kinds.has("lossBurst"))
    options.push(
      fc
        .record({
          at,
          loss: fc.double({ min: 0.05, max: 0.9, noNaN: true }),
          durationMs: fc.integer({ min: 1, max: 60_000 }),
        })
        .map((r) => ({ ...r, kind: "lossBurst" as const })),
    );
  if (kinds.has("clockSkew"))
    options.push(
      fc
        .record({ at, machine, skewMs: fc.integer({ min: -3_600_000, max: 3_600_000 }) })
        .map((r) => ({ ...r, kind: "clockSkew" as const })),
    );
  if (options.length === 0) throw new Error("faultScheduleArb: no fault kinds to draw from");
  return fc
    .array(fc.oneof(...options), { maxLength: opts.maxActions ?? 10 })
    .map((actions) => actions.slice().sort((a, b) => a.at - b.at));
}
