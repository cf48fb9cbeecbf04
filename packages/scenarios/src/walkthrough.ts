// The lecture walkthrough: every measurable claim, in the lecture's order; for each, what the
// lecture says, what this run measured, and whether the claim holds. The scenarios run on every
// core (each one in its own simulation, so the results do not depend on the threads), and each
// claim is printed as soon as it and every claim before it are done.
import { SCENARIOS } from "./registry";
import type { Scenario, ScenarioResult } from "./scenario";
import { runSweep } from "./sweep/pool";
import { createProgress } from "./sweep/progress";
import type { SweepTask } from "./sweep/tasks";

/**
 * The scenarios that take seconds where the others take a fraction of one, longest first: they
 * start first, so that the other threads work through the short ones meanwhile.
 */
export const START_FIRST = [
  "bigger-manager",
  "large-scheduling",
  "swarm-cert-rotation",
  "large-cluster",
  "quorum-2n1",
];

export interface WalkthroughOptions {
  /** Worker threads (1: everything in this thread). */
  threads: number;
  /** The scenarios to walk through (default: all of them, in the lecture's order). */
  scenarios?: readonly Scenario[];
  /** Where progress goes (default: stderr; a live line there when it is a terminal). */
  progressStream?: NodeJS.WriteStream;
}

/** The lines printed for one claim (and the section title before it when the section changes). */
export function claimText(s: Scenario, r: ScenarioResult, previousSection: string | null): string {
  let text = s.section !== previousSection ? `== ${s.section} ==\n` : "";
  text += `* ${s.claim}\n`;
  text += `  measured: ${r.summary}\n`;
  text += `  verdict:  ${r.verdict === "holds" ? "holds" : "DOES NOT HOLD"}   (swarm-sim run ${s.name} --seed ${r.seed})\n\n`;
  return text;
}

/** Prints the walkthrough to `out`; resolves to 0 when every claim holds, 1 otherwise. */
export async function runWalkthrough(out: NodeJS.WritableStream, opts: WalkthroughOptions): Promise<number> {
  const scenarios = opts.scenarios ?? SCENARIOS;
  out.write('swarm-sim: the lecture "Docker Swarm: Preparing for Cloud Deployment", claim by claim\n');
  out.write("(every figure below was measured in this run, on the simulator, from the seed shown)\n\n");
  const tasks: SweepTask[] = scenarios.map((s) => ({ kind: "scenario", name: s.name, seed: s.defaultSeed }));
  const progress = createProgress("walkthrough", {
    stream: opts.progressStream,
    describe: (i) => scenarios[i].name,
  });
  let section: string | null = null;
  let held = 0;
  try {
    await runSweep<ScenarioResult>(tasks, {
      threads: opts.threads,
      startOrder: startOrder(scenarios),
      onProgress: (p) => progress.update(p),
      onResult: (i, r) => {
        const s = scenarios[i];
        progress.print(() => out.write(claimText(s, r, section)));
        section = s.section;
        if (r.verdict === "holds") held++;
      },
    });
  } finally {
    progress.stop();
  }
  out.write(`${held} of ${scenarios.length} claims hold.\n`);
  return held === scenarios.length ? 0 : 1;
}

/** The long scenarios first (in START_FIRST's order), then the others in the lecture's order. */
export function startOrder(scenarios: readonly Scenario[]): number[] {
  const indexes = scenarios.map((_, i) => i);
  const rank = (i: number) => {
    const r = START_FIRST.indexOf(scenarios[i].name);
    return r === -1 ? START_FIRST.length : r;
  };
  return indexes.sort((a, b) => rank(a) - rank(b) || a - b);
}
