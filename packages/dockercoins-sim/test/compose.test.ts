import { describe, expect, it } from "vitest";
import { progressFrame } from "@swarm-sim/swarmkit-sim";
import { dockercoinsComposeWithoutRngPort } from "../src/compose-file";
import { composeLab } from "./compose-helpers";

describe("docker compose on one machine", () => {
  it("up -d prints compose v2's final progress frame, aligned to 80 columns", () => {
    const { project, run } = composeLab();
    const out = run(project.up({ detach: true })).output;
    expect(out[0]).toBe("[+] Running 6/6");
    expect(out.slice(1).map((l) => l.replace(/\s+/g, " "))).toEqual([
      " ✔ Network dockercoins_default Created 0.1s",
      " ✔ Container dockercoins-rng-1 Started 0.4s",
      " ✔ Container dockercoins-hasher-1 Started 0.4s",
      " ✔ Container dockercoins-webui-1 Started 0.4s",
      " ✔ Container dockercoins-redis-1 Started 0.4s",
      " ✔ Container dockercoins-worker-1 Started 0.4s",
    ]);
    for (const l of out.slice(1)) expect([...l].length).toBe(80);
    // Statuses line up in one column.
    expect(new Set(out.slice(1).map((l) => l.search(/(Created|Started)/))).size).toBe(1);
  });

  it("ps lists the project's containers as compose v2 does", () => {
    const { sim, project, run } = composeLab();
    run(project.up({ detach: true }));
    sim.runFor(125_000);
    const lines = project.ps().trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS$/);
    expect(lines.slice(1).map((l) => l.split(/\s{3,}/))).toEqual([
      [
        "dockercoins-hasher-1",
        "dockercoins-hasher",
        '"ruby hasher.rb"',
        "hasher",
        "2 minutes ago",
        "Up 2 minutes",
        "0.0.0.0:8002->80/tcp, [::]:8002->80/tcp",
      ],
      [
        "dockercoins-redis-1",
        "redis",
        '"docker-entrypoint.s…"',
        "redis",
        "2 minutes ago",
        "Up 2 minutes",
        "6379/tcp",
      ],
      [
        "dockercoins-rng-1",
        "dockercoins-rng",
        '"flask run --without…"',
        "rng",
        "2 minutes ago",
        "Up 2 minutes",
        "0.0.0.0:8001->80/tcp, [::]:8001->80/tcp",
      ],
      [
        "dockercoins-webui-1",
        "dockercoins-webui",
        '"node webui.js"',
        "webui",
        "2 minutes ago",
        "Up 2 minutes",
        "0.0.0.0:8000->80/tcp, [::]:8000->80/tcp",
      ],
      [
        "dockercoins-worker-1",
        "dockercoins-worker",
        '"python worker.py"',
        "worker",
        "2 minutes ago",
        "Up 2 minutes",
      ],
    ]);
    // Columns start where the header's do.
    const col = lines[0].indexOf("SERVICE");
    for (const l of lines.slice(1))
      expect(l.slice(col).split(" ")[0]).toMatch(/^(hasher|redis|rng|webui|worker)$/);
  });

  it("--scale adds workers with the next numbers, and removes the highest numbers first", () => {
    const { sim, project, run } = composeLab();
    run(project.up({ detach: true }));
    const up = run(project.up({ detach: true, scale: { worker: 3 } }));
    expect(up.output.filter((l) => l.includes("Started")).map((l) => l.split(/\s+/)[3])).toEqual([
      "dockercoins-worker-2",
      "dockercoins-worker-3",
    ]);
    expect(up.output.filter((l) => /Container .* Running/.test(l))).toHaveLength(5);
    const t0 = sim.now();
    const down = run(project.up({ detach: true, scale: { worker: 1 } }));
    // Workers ignore SIGTERM: scaling down waits for the 10 s SIGKILL.
    expect(sim.now() - t0).toBeGreaterThanOrEqual(10_000);
    expect(down.output.filter((l) => l.includes("Removed")).map((l) => l.replace(/\s+/g, " "))).toEqual([
      " ✔ Container dockercoins-worker-3 Removed 10.1s",
      " ✔ Container dockercoins-worker-2 Removed 10.1s",
    ]);
    expect(project.containers({ service: "worker", all: true }).map((c) => c.name)).toEqual([
      "dockercoins-worker-1",
    ]);
  });

  it("rng cannot be scaled while it publishes 8001; without the port, replicas share the name", () => {
    const { project, engine, run } = composeLab();
    run(project.up({ detach: true }));
    const res = run(project.up({ detach: true, scale: { rng: 2 } }));
    expect(res.error).toMatch(
      /^Error response from daemon: driver failed programming external connectivity on endpoint dockercoins-rng-2 \([0-9a-f]{64}\): Bind for 0\.0\.0\.0:8001 failed: port is already allocated$/,
    );
    expect(res.output.at(-2)).toMatch(/^ ✘ Container dockercoins-rng-2\s+Error/);

    const lab2 = composeLab(1, dockercoinsComposeWithoutRngPort());
    lab2.run(lab2.project.up({ detach: true, scale: { rng: 3 } }));
    const rngs = lab2.project
      .containers({ service: "rng" })
      .map((c) => c.address)
      .sort();
    expect(rngs).toHaveLength(3);
    expect(lab2.engine.resolveFrom("dockercoins-worker-1", "rng").sort()).toEqual(rngs);
    expect(engine.find("dockercoins-rng-2")?.state).toBe("created");
  });

  it("logs: every container's lines with a padded prefix; --tail N per container", () => {
    const { sim, project, run } = composeLab();
    run(project.up({ detach: true, scale: { worker: 10 } }));
    sim.runFor(5000);
    const all = project.logs().lines;
    // The widest name is worker-10: every prefix is padded to 10 characters plus " | ".
    expect(all.every((l) => /^[a-z]+-\d+ +\| /.test(l) && l.indexOf("|") === 11)).toBe(true);
    const tail = project.logs({ tail: 2, services: ["worker"] }).lines;
    expect(tail).toHaveLength(20);
    expect(tail[0]).toMatch(/^worker-1 {3}\| INFO:__main__:/);
    const ts = project.logs({ tail: 1, services: ["redis"], timestamps: true }).lines;
    expect(ts).toEqual([
      expect.stringMatching(
        /^redis-1 {2}\| 2026-01-01T00:00:00\.\d{9}Z 1:M 01 Jan 2026 00:00:00\.\d{3} \* Ready to accept connections tcp$/,
      ),
    ]);
    expect(project.logs({ tail: 1, services: ["redis"], noLogPrefix: true }).lines[0]).toMatch(/^1:M /);
  });

  it("logs --follow: new lines as they come, new containers, and exits", () => {
    const { sim, project, run } = composeLab();
    run(project.up({ detach: true }));
    sim.runFor(2000);
    const { lines, follow } = project.logs({ tail: 1, follow: true, services: ["worker"] });
    expect(lines).toHaveLength(1);
    sim.runFor(3000);
    const more = follow!.read();
    expect(more.length).toBeGreaterThanOrEqual(2);
    // Compose pads names to the widest plus one, then writes " | ".
    expect(more.every((l) => l.startsWith("worker-1  | "))).toBe(true);
    run(project.up({ detach: true, scale: { worker: 2 } }));
    sim.runFor(3000);
    const after = follow!.read();
    expect(after.some((l) => l.startsWith("worker-2  | INFO:__main__:0 units of work done"))).toBe(true);
    run(project.up({ detach: true, scale: { worker: 1 } }));
    expect(follow!.read()).toContain("worker-2 exited with code 137");
    follow!.close();
    sim.runFor(3000);
    expect(follow!.read()).toEqual([]);
  });

  it("progress frames as compose writes them", () => {
    expect(
      progressFrame("Running", [{ kind: "Network", name: "n", status: "Created", seconds: 0.12 }]),
    ).toEqual(["[+] Running 1/1", ` ✔ Network n Created${" ".repeat(80 - 20 - 4)}0.1s`]);
  });
});
