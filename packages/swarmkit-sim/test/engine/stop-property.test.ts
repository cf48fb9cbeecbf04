import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fcParams } from "../../src/index";
import { Sleeper, world } from "./fixtures";

describe("engine: stop semantics (property)", () => {
  it("exit = the program's own exit if it handles the signal in time, else SIGKILL at the timeout", () => {
    const containerArb = fc.record({
      handles: fc.boolean(),
      exitDelayMs: fc.integer({ min: 0, max: 20_000 }),
      exitCode: fc.integer({ min: 0, max: 3 }),
      timeoutSec: fc.option(fc.integer({ min: 0, max: 15 }), { nil: undefined }),
      init: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(containerArb, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 5000 }),
        (specs, startAt) => {
          const w = world(startAt);
          specs.forEach((s, i) => {
            w.images.register({
              name: `p${i}`,
              command: ["p"],
              create: () =>
                new Sleeper({
                  handles: s.handles ? ["SIGTERM"] : [],
                  exitDelayMs: s.exitDelayMs,
                  exitCode: s.exitCode,
                }),
            });
          });
          const cs = specs.map((s, i) =>
            w.engine.run({ image: `p${i}`, stopTimeoutSec: s.timeoutSec, init: s.init }),
          );
          w.sim.runFor(startAt);
          const done: number[] = [];
          cs.forEach((c, i) => {
            w.engine.stop(c.id, {}, () => {
              done[i] = w.sim.now();
            });
          });
          w.sim.runFor(40_000);
          specs.forEach((s, i) => {
            const c = cs[i];
            const timeoutMs = (s.timeoutSec ?? 10) * 1000;
            let code: number;
            let at: number;
            if (s.handles && s.exitDelayMs === 0)
              [code, at] = [s.exitCode, 0]; // exits inside its handler
            else if (!s.handles && s.init)
              [code, at] = [143, 0]; // under tini: dies of SIGTERM
            else if (timeoutMs === 0)
              [code, at] = [137, 0]; // -t 0: SIGKILL right after the signal
            // A handler's exit timer was set before the engine's kill timer: on a tie it wins.
            else if (s.handles && s.exitDelayMs <= timeoutMs) [code, at] = [s.exitCode, s.exitDelayMs];
            else [code, at] = [137, timeoutMs]; // ignored (PID 1) or too slow: killed
            expect(c.state).toBe("exited");
            expect(c.exitCode).toBe(code);
            expect(c.finishedAt - startAt).toBe(at);
            expect(done[i]).toBe(c.finishedAt);
          });
        },
      ),
      fcParams(60),
    );
  });
});
