// The lecture walkthrough: every measurable claim, in the lecture's order; for each, what the
// lecture says, what this run measured, and whether the claim holds.
import { SCENARIOS } from "./registry";
import type { ScenarioResult } from "./scenario";

export function runWalkthrough(out: NodeJS.WritableStream): number {
  out.write('swarm-sim: the lecture "Docker Swarm: Preparing for Cloud Deployment", claim by claim\n');
  out.write("(every figure below was measured in this run, on the simulator, from the seed shown)\n\n");
  const results: ScenarioResult[] = [];
  let section = "";
  for (const s of SCENARIOS) {
    if (s.section !== section) {
      section = s.section;
      out.write(`== ${section} ==\n`);
    }
    const r = s.run(s.defaultSeed);
    results.push(r);
    out.write(`* ${s.claim}\n`);
    out.write(`  measured: ${r.summary}\n`);
    out.write(
      `  verdict:  ${r.verdict === "holds" ? "holds" : "DOES NOT HOLD"}   (swarm-sim run ${s.name} --seed ${r.seed})\n\n`,
    );
  }
  const held = results.filter((r) => r.verdict === "holds").length;
  out.write(`${held} of ${results.length} claims hold.\n`);
  return held === results.length ? 0 : 1;
}
