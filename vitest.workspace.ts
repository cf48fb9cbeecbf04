// The one test configuration. `npm test` passes this file as --config, so it is really
// what runs (vitest 4 no longer picks up a workspace file on its own; vitest 3.2 reads
// `test.projects` the same way). scripts/check-projects.mjs then fails the run if any of
// the four packages collected no tests.
import { defineConfig } from "vitest/config";

export const PROJECTS = ["raft", "swarmkit-sim", "dockercoins-sim", "scenarios"] as const;

export default defineConfig({
  test: {
    reporters: ["default", ["json", { outputFile: ".vitest-results.json" }]],
    projects: PROJECTS.map((name) => ({
      test: {
        name,
        root: `packages/${name}`,
        include: ["test/**/*.test.ts"],
        testTimeout: 120_000,
        hookTimeout: 120_000,
      },
    })),
  },
});
