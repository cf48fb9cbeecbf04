// Runs after the tests (npm test), from the JSON report vitest.workspace.ts asks for:
// - fails when any package collected no tests (a silently empty project would otherwise pass);
// - lists the slowest tests and the longest event-loop blocks (scripts/event-loop-watch.ts), and
//   warns about a test that blocked its worker for more than BLOCK_LIMIT_MS: under load that is
//   what makes vitest's worker calls time out.
import { readFileSync } from "node:fs";
import { sep } from "node:path";

const PROJECTS = ["raft", "swarmkit-sim", "dockercoins-sim", "scenarios", "swarm-sim"];
const BLOCK_LIMIT_MS = 10_000;
const SHOWN = 5;

const report = JSON.parse(readFileSync(".vitest-results.json", "utf8"));
const counts = Object.fromEntries(PROJECTS.map((p) => [p, 0]));
const tests = [];
for (const file of report.testResults ?? []) {
  const name = file.name.split(sep).join("/");
  const project = PROJECTS.find((p) => name.includes(`/packages/${p}/`));
  if (project) counts[project] += (file.assertionResults ?? []).length;
  for (const t of file.assertionResults ?? [])
    tests.push({
      where: `${name.slice(name.indexOf("/packages/") + 1)} > ${t.fullName}`,
      durationMs: Math.round(t.duration ?? 0),
      blockMs: t.meta?.longestBlockMs ?? 0,
    });
}
const empty = PROJECTS.filter((p) => counts[p] === 0);
for (const p of PROJECTS) console.log(`project ${p}: ${counts[p]} tests`);

const top = (key) => [...tests].sort((a, b) => b[key] - a[key]).slice(0, SHOWN);
console.log("slowest tests:");
for (const t of top("durationMs")) console.log(`  ${(t.durationMs / 1000).toFixed(1)} s  ${t.where}`);
console.log("longest event-loop blocks:");
for (const t of top("blockMs")) console.log(`  ${(t.blockMs / 1000).toFixed(1)} s  ${t.where}`);
for (const t of tests.filter((x) => x.blockMs > BLOCK_LIMIT_MS))
  console.warn(
    `warning: ${t.where} blocked its worker's event loop for ${(t.blockMs / 1000).toFixed(1)} s (limit ${BLOCK_LIMIT_MS / 1000} s): run it in slices (see packages/scenarios/test/support/yielding.ts)`,
  );

if (empty.length > 0) {
  console.error(`error: these projects collected no tests: ${empty.join(", ")}`);
  process.exit(1);
}
