import { describe, expect, it } from "vitest";
import {
  type HandlerCommand,
  composeHandlers,
  parseScaleFlags,
  statsHandler,
  topCommand,
} from "../src/cli-handlers";
import type { LogFollow } from "../src/compose/logs";
import { composeLab } from "./compose-helpers";

function io() {
  const o = { out: "", err: "" };
  return { o, io: { out: (t: string) => (o.out += t), err: (t: string) => (o.err += t) } };
}

const cmd = (
  flags: Record<string, unknown>,
  args: string[] = [],
  changed: string[] = [],
): HandlerCommand => ({
  flags,
  args,
  changed: new Set(changed),
});

describe("CLI handlers (not registered: the lab wires them)", () => {
  it("compose up -d --scale, ps, logs -f, down", () => {
    const { sim, engine, project } = composeLab();
    const follows: LogFollow[] = [];
    const h = composeHandlers({ project: () => project, onFollow: (f) => follows.push(f) });
    const up = io();
    expect(h["compose up"](cmd({ detach: true, scale: ["worker=2"] }), up.io)).toBe(0);
    expect(up.o.out).toContain(" ✔ Container dockercoins-worker-2");
    sim.runFor(3000);
    const ps = io();
    h["compose ps"](cmd({ all: false }), ps.io);
    expect(ps.o.out.split("\n")[0]).toMatch(/^NAME\s+IMAGE/);
    const logs = io();
    h["compose logs"](cmd({ tail: "1", follow: true }, ["worker"]), logs.io);
    expect(logs.o.out.trim().split("\n")).toHaveLength(2);
    expect(follows).toHaveLength(1);
    const stats = io();
    statsHandler(() => engine)(cmd({}), stats.io);
    expect(stats.o.out).toMatch(/^CONTAINER ID\s+NAME\s+CPU %/);
    const top = io();
    topCommand(() => engine)([], top.io);
    expect(top.o.out).toMatch(/^top - /);
    const down = io();
    h["compose down"](cmd({ timeout: 0 }, [], ["timeout"]), down.io);
    expect(down.o.out).toContain("Network dockercoins_default");
    expect(engine.containers({ all: true })).toEqual([]);
  });

  it("errors go to stderr with status 1", () => {
    const { project } = composeLab();
    const none = composeHandlers({ project: () => undefined });
    const a = io();
    expect(none["compose ps"](cmd({}), a.io)).toBe(1);
    expect(a.o.err).toBe("no configuration file provided: not found\n");
    const h = composeHandlers({ project: () => project });
    const b = io();
    expect(h["compose up"](cmd({ detach: true, scale: ["worker=x"] }), b.io)).toBe(1);
    expect(b.o.err).toBe('invalid --scale option "worker=x". Should be SERVICE=NUM\n');
    expect(parseScaleFlags(["worker=10", "rng=1"])).toEqual({ worker: 10, rng: 1 });
  });
});
