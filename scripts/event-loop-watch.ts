// A vitest setup file (vitest.workspace.ts): records, for every test, the longest stretch for
// which the test kept its worker's event loop from turning. A test that runs a long simulation
// in one go blocks the loop for all that time, and vitest's calls between the worker and the
// main process then wait; on a busy machine they time out and the run fails although every test
// passed. scripts/check-projects.mjs reads the figure back from the JSON report
// (.vitest-results.json, each test's `meta`) and lists the longest ones after every `npm test`.
//
// The gauge is a 20 ms interval timer: the longest gap between two of its ticks (or between the
// last tick and the end of the test) is the longest block, give or take 20 ms.
import { performance } from "node:perf_hooks";
import { afterEach, beforeEach } from "vitest";

declare module "vitest" {
  interface TaskMeta {
    /** The longest event-loop block during the test, in ms. */
    longestBlockMs?: number;
  }
}

const TICK_MS = 20;
let lastTick = performance.now(); // wall-clock: measures the tests, not a simulation
let longest = 0;

setInterval(() => {
  const now = performance.now(); // wall-clock: measures the tests, not a simulation
  longest = Math.max(longest, now - lastTick - TICK_MS);
  lastTick = now;
}, TICK_MS).unref(); // wall-clock: the gauge's tick

beforeEach(() => {
  lastTick = performance.now(); // wall-clock: measures the tests, not a simulation
  longest = 0;
});

afterEach(({ task }) => {
  const sinceTick = performance.now() - lastTick; // wall-clock: measures the tests, not a simulation
  task.meta.longestBlockMs = Math.round(Math.max(longest, sinceTick));
});
