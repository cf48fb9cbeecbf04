// Fails the test command when any package collected no tests: a silently empty
// project would otherwise pass. Reads the JSON report that vitest.workspace.ts asks for.
import { readFileSync } from "node:fs";
import { sep } from "node:path";

const PROJECTS = ["raft", "swarmkit-sim", "dockercoins-sim", "scenarios", "swarm-sim"];
const report = JSON.parse(readFileSync(".vitest-results.json", "utf8"));
const counts = Object.fromEntries(PROJECTS.map((p) => [p, 0]));
for (const file of report.testResults ?? []) {
  const name = file.name.split(sep).join("/");
  for (const p of PROJECTS) {
    if (name.includes(`/packages/${p}/`)) counts[p] += (file.assertionResults ?? []).length;
  }
}
const empty = PROJECTS.filter((p) => counts[p] === 0);
for (const p of PROJECTS) console.log(`project ${p}: ${counts[p]} tests`);
if (empty.length > 0) {
  console.error(`error: these projects collected no tests: ${empty.join(", ")}`);
  process.exit(1);
}
