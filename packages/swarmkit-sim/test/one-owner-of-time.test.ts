// One owner of time: the docker command handlers (src/docker, compose's runtime included), the
// CLI (src/cli) and the lab (src/lab: its world, its host, its own commands) never run the
// kernel's event loop. A command that waits yields a job; only the host loop
// (src/lab/host-loop.ts) advances the clock.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/** Calls that run the simulation (the kernel's Sim or a machine's). */
const RUNS_THE_LOOP = /\.(runFor|runUntil|step)\(|\bwaitFor\(/;
const OWNER = "src/lab/host-loop.ts";
const FOLDERS = ["src/docker", "src/cli", "src/lab"];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return p.endsWith(".ts") ? [p] : [];
  });
}

/** Lines of `source` that run the loop, outside comments. */
export function loopRunners(file: string, source: string): string[] {
  return source
    .split("\n")
    .map((text, i) => ({ text, line: i + 1 }))
    .filter(({ text }) => {
      const code = text.replace(/\/\/.*$/, "").replace(/^\s*\*.*$/, "");
      return RUNS_THE_LOOP.test(code);
    })
    .map(({ text, line }) => `${file}:${line}: ${text.trim()}`);
}

describe("one owner of time", () => {
  const root = resolve(import.meta.dirname, "..");

  it("nothing in src/docker, src/cli or src/lab runs the event loop but the host loop", () => {
    const found: string[] = [];
    for (const folder of FOLDERS) {
      for (const f of files(join(root, folder))) {
        const rel = relative(root, f);
        if (rel === OWNER) continue;
        found.push(...loopRunners(rel, readFileSync(f, "utf8")));
      }
    }
    expect(found).toEqual([]);
  });

  it("the host loop is where the clock moves", () => {
    expect(loopRunners(OWNER, readFileSync(join(root, OWNER), "utf8")).length).toBeGreaterThan(0);
  });

  it("the check catches a handler that runs the simulation itself", () => {
    const handler = [
      "export function* dockerStop(cmd, io, ctx) {",
      "  ctx.sim.runUntil(() => !c.isRunning, 15_000); // waits by itself",
      "  lab.sim.runFor(1000);",
      "  const r = waitFor(ctx.sim, (done) => op(done));",
      "  // sim.runFor(1) in a comment is fine",
      "  yield* until(() => !c.isRunning, 15_000);",
      "}",
    ].join("\n");
    expect(loopRunners("x.ts", handler).map((l) => l.split(":")[1])).toEqual(["2", "3", "4"]);
  });
});
