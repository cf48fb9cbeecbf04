// A hostile-input fuzzer for the lab (issue 17): lines generated from the CLI's own grammar with
// hostile values (test/support/hostile-lines.ts), run against a live lab with a swarm of two
// nodes, an overlay network and a service. For every line:
//   - no output holds a JavaScript error's text or a stack trace;
//   - no exception was contained in the event loop (the lab's Sim would have kept it);
//   - it took a bounded time: at most 10 s of this process's CPU time, which a machine busy with
//     other work barely changes, and at most 60 s of wall time (measured outside the
//     simulation), loose enough for a machine loaded several-fold (a line over a bound makes
//     fast-check shrink for many minutes) and tight enough to catch a line that never ends;
//   - a refused line (exit status not 0) that reported nothing done left the cluster as it
//     was: the same nodes, the same leader. (A command given several targets does what it can
//     and names each one done on stdout, as Docker's: `docker node rm --force node2 nosuch`
//     removes node2, prints it, and fails for the other.)
// `npm test` runs 300 lines; `npm run fuzz` (FUZZ=1) 10,000. The test yields to the event loop
// after every line, so no stretch of it blocks its worker for long. A failure names the line
// and prints the fast-check seed and path (FC_SEED=... FC_PATH=... replays it).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fcParams } from "../src/testing/fc-params";
import { clusterState, hostileLine, hostileWorld, JS_ERROR_TEXT } from "./support/hostile-lines";

const LINES_PER_RUN = process.env.FUZZ ? 125 : 75;
const RUNS = 4; // x20 under FUZZ: 80 runs of 125 lines
/** The most CPU time a line may take (the slowest seen is well under a second). */
const CPU_LIMIT_MS = process.env.FUZZ ? 20_000 : 10_000;

/** The most wall time a line may take on a busy machine. */
const WALL_LIMIT_MS = process.env.FUZZ ? 120_000 : 60_000;

/** CPU milliseconds this process has used (user and system). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
/** 10,000 lines take about 5 minutes on a quiet core; a shared machine can take four times that. */
const FUZZ_TIMEOUT_MS = process.env.FUZZ ? 3_600_000 : 600_000;

/** Lets vitest's worker answer its RPC between lines. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("hostile lines from the CLI grammar", () => {
  it(
    `never leak a JavaScript error, stay bounded in time, and leave the cluster alone when refused (${LINES_PER_RUN * RUNS * (process.env.FUZZ ? 20 : 1)} lines)`,
    async () => {
      const seen = { lines: 0, refused: 0, slowestMs: 0, slowest: "" };
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 1_000_000 }),
          fc.array(hostileLine, { minLength: LINES_PER_RUN, maxLength: LINES_PER_RUN }),
          async (seed, lines) => {
            const lab = hostileWorld(seed);
            await yieldToLoop();
            for (const l of lines) {
              const before = clusterState(lab);
              const t0 = cpuMs();
              const w0 = performance.now(); // wall-clock: the fuzzer's bound on a line, outside the simulation
              const r = lab.run(l);
              const wallMs = performance.now() - w0; // wall-clock: the same measurement
              const ms = cpuMs() - t0;
              seen.lines++;
              if (ms > seen.slowestMs) Object.assign(seen, { slowestMs: ms, slowest: l });
              expect(r.stdout + r.stderr, l).not.toMatch(JS_ERROR_TEXT);
              expect(lab.sim.containedErrors, l).toEqual([]);
              expect(ms, l).toBeLessThan(CPU_LIMIT_MS);
              expect(wallMs, l).toBeLessThan(WALL_LIMIT_MS);
              if (r.exitCode !== 0) {
                seen.refused++;
                if (r.stdout === "") expect(clusterState(lab), l).toBe(before);
              }
              await yieldToLoop();
            }
          },
        ),
        fcParams(RUNS),
      );
      const runs = process.env.FC_SEED ? seen.lines / LINES_PER_RUN : RUNS * (process.env.FUZZ ? 20 : 1);
      expect(seen.lines).toBe(runs * LINES_PER_RUN);
      // Both kinds of line are exercised: refused ones and ones the lab carried out.
      expect(seen.refused).toBeGreaterThan(0);
      expect(seen.refused).toBeLessThan(seen.lines);
      console.info(
        `hostile-fuzz: ${seen.lines} lines, ${seen.refused} refused, 0 JavaScript errors, slowest ${Math.round(seen.slowestMs)} ms of CPU: ${seen.slowest.slice(0, 200)}`,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it("its checks catch what they look for (a broken run fails each)", () => {
    for (const leak of [
      "TypeError: Cannot read properties of undefined (reading 'id')",
      "RangeError: Maximum call stack size exceeded",
      "RangeError: Invalid string length",
      "Error: boom\n    at Object.run (/work/src/x.ts:1:2)",
      "x.map is not a function",
      "[object Object]",
    ])
      expect(leak).toMatch(JS_ERROR_TEXT);
    for (const fine of [
      "Error response from daemon: node 1 not found\n",
      'sh: syntax error: unexpected ")"\n',
      'invalid argument "-1" for "--replicas" flag: strconv.ParseUint: parsing "-1": invalid syntax\n',
      "Error: No such container: x\n",
    ])
      expect(fine).not.toMatch(JS_ERROR_TEXT);
    const lab = hostileWorld(3);
    // An event that throws is contained by the lab's Sim, and seen.
    lab.sim.after(10, () => {
      throw new Error("boom");
    });
    lab.run("docker node ls -q");
    expect(lab.sim.containedErrors.map((e) => e.message)).toEqual([expect.stringContaining("boom")]);
    // A change to the nodes or the leader shows in the cluster's state.
    const before = clusterState(lab);
    expect(lab.run("docker node update --availability drain node2").exitCode).toBe(0);
    expect(clusterState(lab)).not.toBe(before);
  });
});
