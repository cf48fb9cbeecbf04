// Going back in time (lab/live/seek.ts, live-lab.ts): a fresh world from the seed with the
// session's inputs replayed at their simulated times is the world as it was. Property: over
// random input logs (faults, repairs, scaling, sleeps, a second terminal, Ctrl-C) typed while
// the clock runs in uneven slices, the state seen at any moment (its cluster view and its
// trace hash) is the state a seek to that moment rebuilds. Then the live lab's seek: the
// session goes on from there, the file says so, and the file replays to the session's hash;
// a replay with one input moved by 1 ms does not (the comparison can fail).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ClusterView,
  clusterView,
  inputsBefore,
  Lab,
  linearHistory,
  LiveLab,
  parseSessionFile,
  replaySession,
  type SessionEvent,
  type SessionHeader,
  SessionFileError,
  SessionSeek,
} from "../src/index";
import { fcParams } from "../src/testing/fc-params";
import { THREE_MANAGER_SWARM } from "./support/lab-lines";

const SETUP = [
  ...THREE_MANAGER_SWARM,
  "docker exec node2 docker service create --name web --replicas 4 nginx",
];

const NODES = ["node2", "node3", "node4"];
const OPS: string[] = [
  ...NODES.flatMap((n) => [
    `docker kill ${n}`,
    `docker stop ${n}`,
    `docker start ${n}`,
    `docker pause ${n}`,
    `docker unpause ${n}`,
    `partition ${n}`,
    `docker network disconnect bridge ${n}`,
    `docker network connect bridge ${n}`,
  ]),
  "heal",
  "sleep 2",
  "docker exec node3 docker service scale web=2",
  "docker exec node4 docker service scale web=6",
  "docker node ls",
  "top",
];

type Step =
  | { kind: "line"; gap: number; text: string; term: number }
  | { kind: "ctrl-c"; gap: number; term: number }
  | { kind: "open"; gap: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("line" as const),
      gap: fc.integer({ min: 0, max: 6000 }),
      text: fc.constantFrom(...OPS),
      term: fc.integer({ min: 0, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("ctrl-c" as const),
      gap: fc.integer({ min: 0, max: 3000 }),
      term: fc.integer({ min: 0, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("open" as const), gap: fc.integer({ min: 0, max: 3000 }) }),
  },
);

interface Seen {
  t: number;
  inputs: number;
  view: ClusterView;
  hash: string;
}

/** A live lab on `seed`, its records kept (header too), driven by hand (no wall clock). */
function liveLab(seed: number) {
  const makeLab = () => new Lab({ seed, services: true });
  let header: SessionHeader | undefined;
  const lines: string[] = [];
  const live = new LiveLab({
    lab: makeLab(),
    makeLab,
    recorder: {
      header: (h) => {
        header = h;
        lines.push(JSON.stringify(h));
      },
      event: (e) => lines.push(JSON.stringify(e)),
    },
  });
  const first = live.openTerminal({ mode: "tty" });
  first.begin();
  return { live, makeLab, header: () => header!, file: () => `${lines.join("\n")}\n` };
}

/** Runs `ms` of simulated time in slices, noting what is seen after each slice. */
function run(live: LiveLab, ms: number, slices: readonly number[], k: { i: number }, seen: Seen[]): void {
  const end = live.now + ms;
  while (live.now < end) {
    live.session.advanceTo(Math.min(end, live.now + slices[k.i++ % slices.length]));
    seen.push({
      t: live.now,
      inputs: live.inputCount,
      view: clusterView(live.lab),
      hash: live.lab.sim.trace.hash(),
    });
  }
}

describe("going back in time rebuilds the state that was seen", () => {
  it("for random input logs typed while the clock runs in uneven slices (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(stepArb, { minLength: 1, maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 900 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { minLength: 2, maxLength: 2 }),
        (seed, steps, slices, picks) => {
          const { live, makeLab, header } = liveLab(seed);
          const seen: Seen[] = [];
          const k = { i: 0 };
          for (const line of SETUP) {
            live.terminal(1)!.input(`${line}\r`);
            run(live, 300, slices, k, seen);
          }
          run(live, 3000, slices, k, seen);
          for (const s of steps) {
            run(live, s.gap, slices, k, seen);
            const open = live.session.openTerminals();
            if (s.kind === "open") live.openTerminal({ mode: "tty" }).begin();
            else {
              const term = open[s.term % open.length];
              term.input(s.kind === "line" ? `${s.text}\r` : "\x03");
            }
          }
          run(live, 2000, slices, k, seen);
          const records = live.recorded();
          for (const pick of [...picks.map((p) => p % seen.length), seen.length - 1]) {
            const at = seen[pick];
            const seek = new SessionSeek({
              makeLab,
              header: header(),
              events: records,
              to: at.t,
              inputs: at.inputs,
              terminalOptions: () => ({ mode: "tty" }),
            }).run();
            expect(seek.session.now).toBe(at.t);
            expect(clusterView(seek.lab)).toEqual(at.view);
            expect(seek.lab.sim.trace.hash()).toBe(at.hash);
          }
        },
      ),
      fcParams(12),
    );
  });

  it("keeps by default the inputs recorded before the target, and refuses a count that contradicts the times", () => {
    const ev = (t: number, text: string): SessionEvent => ({ t, type: "line", term: 1, text });
    const events: SessionEvent[] = [
      { t: 0, type: "open", term: 1, tty: true },
      ev(100, "a"),
      ev(200, "b"),
      ev(200, "c"),
      ev(300, "d"),
    ];
    expect(inputsBefore(events, 200).kept.map((e) => e.type === "line" && e.text)).toEqual([false, "a"]);
    expect(inputsBefore(events, 200, 3).dropped).toBe(2);
    expect(inputsBefore(events, 200, 4).dropped).toBe(1);
    expect(() => inputsBefore(events, 200, 5)).toThrow(/recorded at 300 ms, after 200 ms/);
    expect(() => inputsBefore(events, 250, 2)).toThrow(
      /recorded at 200 ms, before 250 ms: it would be dropped/,
    );
    expect(() => inputsBefore(events, 200, 9)).toThrow(SessionFileError);
    // A history with seeks: what a seek kept, then what came after it.
    const withSeek: SessionEvent[] = [
      ...events,
      { t: 400, type: "seek", to: 150, kept: 2, dropped: 3 },
      ev(150, "e"),
    ];
    expect(linearHistory(withSeek).map((e) => (e.type === "line" ? e.text : e.type))).toEqual([
      "open",
      "a",
      "e",
    ]);
    expect(() => linearHistory([...events, { t: 400, type: "seek", to: 150, kept: 3, dropped: 2 }])).toThrow(
      /keeps an input recorded after its target/,
    );
  });
});

describe("the live lab goes back and on", () => {
  it("branches from an earlier moment twice; the session file replays to the session's hash, and one input moved by 1 ms does not", async () => {
    const { live, file } = liveLab(42);
    const seen: Seen[] = [];
    const k = { i: 0 };
    const slices = [250, 97, 400];
    const type = (term: number, line: string) => live.terminal(term)!.input(`${line}\r`);
    for (const line of SETUP) {
      type(1, line);
      run(live, 300, slices, k, seen);
    }
    run(live, 4000, slices, k, seen);
    const before = seen[seen.length - 1];
    expect(before.view.leader).toBe("node2");
    // A second terminal (a browser's), then the leader's node is killed: a new leader.
    const second = live.openTerminal({ mode: "tty" });
    second.begin();
    type(2, "docker exec -it node3 sh");
    type(1, "docker kill node2");
    run(live, 30_000, slices, k, seen);
    const killed = seen[seen.length - 1];
    expect(["node3", "node4"]).toContain(killed.view.leader);
    expect(killed.view.term).toBeGreaterThan(before.view.term);

    // Back to just before the second terminal opened: the leader, term and tasks as they were.
    const done = await live.seek(before.t, { inputs: before.inputs });
    expect(done).toMatchObject({ from: killed.t, to: before.t, dropped: 3 });
    expect(clusterView(live.lab)).toEqual(before.view);
    expect(live.lab.sim.trace.hash()).toBe(before.hash);
    expect(live.session.openTerminals().map((t) => t.id)).toEqual([1]);
    expect(live.pacer.paused).toBe(false); // (a pacer never started is not paused)
    expect(done.screens.get(1)).toContain(
      "docker exec node2 docker service create --name web --replicas 4 nginx\n",
    );
    expect(done.screens.get(1)).toContain("This node joined a swarm as a manager.\n");

    // The session goes on from there: another branch (node3 stopped instead).
    type(1, "docker stop node3");
    run(live, 20_000, slices, k, seen);
    const stopped = seen[seen.length - 1];
    expect(stopped.view.nodes.find((n) => n.name === "node3")!.engine).toBe("stopped");
    expect(stopped.view.nodes.find((n) => n.name === "node2")!.engine).toBe("running");
    // ...and back again, to a time before the first seek's target (a seek to a plain time).
    const early = seen.find((s) => s.t > 2000 && s.t < before.t)!;
    await live.seek(early.t);
    expect(live.now).toBe(early.t);
    type(1, "docker pause node4");
    run(live, 5000, slices, k, seen);
    live.end();

    const text = file();
    const parsed = parseSessionFile(text);
    const seeks = parsed.events.filter((e) => e.type === "seek");
    expect(seeks).toEqual([
      { t: killed.t, type: "seek", to: before.t, kept: before.inputs, dropped: 3 },
      expect.objectContaining({ type: "seek", to: early.t }),
    ]);
    const end = parsed.events.at(-1) as { type: string; traceHash: string };
    expect(end.type).toBe("end");
    const replayed = replaySession(new Lab({ seed: 42, services: true }), parsed);
    expect(replayed.traceHash).toBe(end.traceHash);
    expect(replayed.recordedHash).toBe(end.traceHash);

    // The same file with the last input one simulated millisecond later: another hash.
    const lines = text.trimEnd().split("\n");
    const last = lines.findLastIndex((l) => l.includes('"docker pause node4"'));
    lines[last] = lines[last].replace(/"t":([\d.]+)/, (_m, t) => `"t":${Number(t) + 1}`);
    const moved = replaySession(
      new Lab({ seed: 42, services: true }),
      parseSessionFile(`${lines.join("\n")}\n`),
    );
    expect(moved.traceHash).not.toBe(end.traceHash);
  });

  it("refuses to go forward, or without a way to make a fresh lab", async () => {
    const { live } = liveLab(1);
    live.session.advanceTo(1000);
    await expect(live.seek(5000)).rejects.toThrow(/can only go back to an earlier time/);
    const plain = new LiveLab({ lab: new Lab({ seed: 1 }) });
    plain.openTerminal();
    plain.session.advanceTo(1000);
    expect(plain.canSeek).toBe(false);
    await expect(plain.seek(10)).rejects.toThrow(/cannot go back in time/);
  });
});
