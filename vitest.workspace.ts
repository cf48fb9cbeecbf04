// The one test configuration. `npm test` passes this file as --config, so it is really
// what runs (vitest 4 no longer picks up a workspace file on its own; vitest 3.2 reads
// `test.projects` the same way). scripts/check-projects.mjs then fails the run if any of
// the packages collected no tests.
//
// Tests run the TypeScript sources, not the built dist/: our packages' package.json `exports`
// name the sources under the "swarm-sim-source" condition, which the resolver is told to use
// here (as tsconfig.json's customConditions tells tsc, and --conditions tells node and tsx).
import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

export const PROJECTS = ["raft", "swarmkit-sim", "dockercoins-sim", "scenarios", "swarm-sim"] as const;

const SOURCE_CONDITIONS = ["swarm-sim-source", "module", "node", "development|production"];

export default defineConfig({
  test: {
    reporters: ["default", ["json", { outputFile: ".vitest-results.json" }]],
    projects: PROJECTS.map((name) => ({
      resolve: { conditions: SOURCE_CONDITIONS },
      ssr: { resolve: { conditions: SOURCE_CONDITIONS } },
      test: {
        name,
        root: `packages/${name}`,
        include: ["test/**/*.test.ts"],
        setupFiles: [resolve(import.meta.dirname, "scripts/event-loop-watch.ts")],
        // Worker threads start faster than vitest's default child processes: the whole run took
        // 144 s instead of 158 s on 2 cores (the same 1,230 tests). Each thread gets its own
        // copy of process.env (fc-params.test.ts sets FUZZ there); no test changes directory.
        pool: "threads",
        testTimeout: 120_000,
        hookTimeout: 120_000,
      },
    })),
  },
});
