// End-to-end tests that drive real programs: a real Chromium on DockerCoins' web UI through the
// live lab's real ports, and `swarm-sim lab` in a pseudo-terminal receiving a real Ctrl-C.
// They are not part of `npm test` (they start browsers and processes); `.ci/run` runs them
// with `npm run test:e2e` after installing Chromium when it is missing.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    fileParallelism: false,
    projects: [
      {
        test: {
          name: "e2e",
          root: "packages/scenarios",
          include: ["e2e/**/*.e2e.ts"],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
