// The sweep pool's parts: the reorder buffer, the progress display, and the walkthrough on
// several threads printing exactly what one thread prints.
import { PassThrough } from "node:stream";
import fc from "fast-check";
import { fcParams } from "@swarm-sim/swarmkit-sim";
import { describe, expect, it } from "vitest";
import { findScenario } from "../src/registry";
import type { Scenario } from "../src/scenario";
import { createProgress, etaSeconds, formatSeconds } from "../src/sweep/progress";
import { runSweep } from "../src/sweep/pool";
import { ReorderBuffer } from "../src/sweep/reorder";
import { drainQueue, type WorkerMessage, type WorkerSetup } from "../src/sweep/task-queue";
import type { SweepTask } from "../src/sweep/tasks";
import { claimText, runWalkthrough, START_FIRST, startOrder } from "../src/walkthrough";

describe("the reorder buffer", () => {
  it("releases every result once, in index order, whatever order they come in (property)", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 60 })
          .chain((n) => fc.shuffledSubarray([...Array(n).keys()], { minLength: n })),
        (arrival) => {
          const arrived = new Set<number>();
          const released: number[] = [];
          const buffer = new ReorderBuffer<string>((i, v) => {
            expect(v).toBe(`r${i}`);
            released.push(i);
          });
          for (const i of arrival) {
            arrived.add(i);
            buffer.put(i, `r${i}`);
            // Released: exactly the longest run 0, 1, 2... that has all arrived.
            let prefix = 0;
            while (arrived.has(prefix)) prefix++;
            expect(released).toEqual([...Array(prefix).keys()]);
          }
          expect(released).toHaveLength(arrival.length);
        },
      ),
      fcParams(200),
    );
  });

  it("holds a result until the ones before it come, and refuses one twice", () => {
    const released: number[] = [];
    const buffer = new ReorderBuffer<number>((i) => released.push(i));
    buffer.put(2, 2);
    buffer.put(1, 1);
    expect(released).toEqual([]);
    expect(buffer.waitingFor).toBe(0);
    buffer.put(0, 0);
    expect(released).toEqual([0, 1, 2]);
    expect(() => buffer.put(1, 1)).toThrow(/came twice/);
  });
});

describe("the shared task queue", () => {
  const task = (seed: number): SweepTask => ({ kind: "scenario", name: "swarm-not-active", seed });
  const setup = (tasks: SweepTask[], order: number[], taken = 0): WorkerSetup => {
    const next = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    new Int32Array(next)[0] = taken;
    return { tasks, order, next };
  };

  it("takes the positions no other worker took, in the start order, each started then answered", () => {
    const tasks = [task(1), task(2), task(3), task(4)];
    const shared = setup(tasks, [2, 0, 3, 1], 1); // another worker took position 0 (task 2)
    const posted: WorkerMessage[] = [];
    drainQueue(shared, (m) => posted.push(m));
    expect(posted.map((m) => `${m.kind} ${m.index}`)).toEqual([
      "started 0",
      "result 0",
      "started 3",
      "result 3",
      "started 1",
      "result 1",
    ]);
    // The queue stays empty for every other worker.
    const later: WorkerMessage[] = [];
    drainQueue(shared, (m) => later.push(m));
    expect(later).toEqual([]);
  });

  it("stops at a failing task and leaves the rest to the pool's error", () => {
    const tasks = [task(1), { kind: "scenario", name: "no-such-scenario", seed: 1 } as SweepTask, task(3)];
    const posted: WorkerMessage[] = [];
    drainQueue(setup(tasks, [0, 1, 2]), (m) => posted.push(m));
    expect(posted.map((m) => `${m.kind} ${m.index}`)).toEqual([
      "started 0",
      "result 0",
      "started 1",
      "error 1",
    ]);
    expect(posted[3]).toMatchObject({ error: expect.stringMatching(/unknown scenario/) });
  });

  // With a counter each worker had to itself, both would run every task: the pool waits for its
  // workers to end and refuses a task started twice, so this fails whatever the timing.
  it("on worker threads: every task starts once, results in task order, a failure rejects", async () => {
    const tasks = [1, 2, 3, 4, 5].map(task);
    const starts: number[] = [];
    const released: number[] = [];
    const results = await runSweep(tasks, {
      threads: 2,
      startOrder: [4, 3, 2, 1, 0],
      onProgress: (p) => {
        for (const i of p.running) if (!starts.includes(i)) starts.push(i);
      },
      onResult: (i) => released.push(i),
    });
    expect([...starts].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(released).toEqual([0, 1, 2, 3, 4]);
    expect(JSON.stringify(results)).toBe(JSON.stringify(await runSweep(tasks, { threads: 1 })));
    await expect(
      runSweep([task(1), { kind: "scenario", name: "no-such-scenario", seed: 1 }, task(3)], { threads: 2 }),
    ).rejects.toThrow(/sweep task 1 .*unknown scenario/s);
  });
});

/** A stream that says it is a terminal and keeps what is written to it. */
function fakeTerminal(): NodeJS.WriteStream & { text(): string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & { text(): string };
  let text = "";
  stream.write = ((chunk: string) => {
    text += chunk;
    return true;
  }) as never;
  stream.isTTY = true;
  stream.columns = 200;
  stream.text = () => text;
  return stream;
}

describe("progress", () => {
  it("formats durations and estimates the time left from the pace so far", () => {
    expect(formatSeconds(42.4)).toBe("42s");
    expect(formatSeconds(65)).toBe("1m05s");
    expect(etaSeconds(10, 0, 8)).toBeNull();
    expect(etaSeconds(10, 2, 8)).toBe(30);
  });

  it("draws a live line on a terminal, with the running tasks, and clears it around output", () => {
    const term = fakeTerminal();
    const p = createProgress("quorum", { stream: term, describe: (i) => `cell ${i}` });
    p.update({ done: 1, total: 4, running: [1, 2] });
    expect(term.text()).toMatch(
      /\r\x1b\[Kquorum \[#####-{15}\] 1\/4 eta \d+s \| running: cell 1 0s, cell 2 0s$/,
    );
    const out: string[] = [];
    p.print(() => out.push("row"));
    expect(out).toEqual(["row"]);
    expect(term.text()).toContain("\r\x1b[K\r\x1b[Kquorum");
    p.stop();
    expect(term.text().endsWith("\r\x1b[K")).toBe(true);
  });

  it("prints a plain line at every tenth when not on a terminal", () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const p = createProgress("managers", { stream });
    for (let done = 1; done <= 20; done++) p.update({ done, total: 20, running: [] });
    p.stop();
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatch(/^managers: 2\/20, eta \d+s\n$/);
    expect(lines[9]).toBe("managers: 20/20\n");
  });
});

describe("the walkthrough", () => {
  it("starts the long scenarios first and keeps the lecture's order otherwise", () => {
    const s = (name: string) => ({ name }) as Scenario;
    const order = startOrder([s("a"), s("swarm-cert-rotation"), s("b"), s("large-scheduling"), s("c")]);
    expect(order).toEqual([3, 1, 0, 2, 4]);
    for (const name of START_FIRST) expect(findScenario(name), name).toBeDefined();
  });

  it("prints a section title when the section changes, and says when a claim does not hold", () => {
    const s = findScenario("swarm-init")!;
    const r = { ...s.run(1), verdict: "fails" as const };
    const text = claimText(s, r, null);
    expect(text).toMatch(/^== .+ ==\n\* /);
    expect(text).toContain("DOES NOT HOLD");
    expect(claimText(s, r, s.section)).not.toContain("==");
  });

  it("prints the same text from two threads as from one", async () => {
    const scenarios = [
      "swarm-not-active",
      "swarm-init-twice",
      "swarm-init",
      "swarm-advertise-addr",
      "compose-stop",
    ].map((n) => findScenario(n)!);
    const texts: string[] = [];
    for (const threads of [1, 2]) {
      const out = new PassThrough();
      let text = "";
      out.on("data", (d) => (text += d));
      const code = await runWalkthrough(out, { threads, scenarios, progressStream: fakeTerminal() });
      expect(code).toBe(0);
      texts.push(text);
    }
    expect(texts[1]).toBe(texts[0]);
    expect(texts[0]).toContain("5 of 5 claims hold.");
    // In the lecture's order, whatever order the threads finished in.
    const names = [...texts[0].matchAll(/swarm-sim run (\S+)/g)].map((m) => m[1]);
    expect(names).toEqual(scenarios.map((s) => s.name));
  });
});
