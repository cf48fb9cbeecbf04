import { DOCKER_TABLE, runJob, STATS_HEADER, statsRow, tabwriter } from "@swarm-sim/swarmkit-sim";
import { describe, expect, it } from "vitest";
import { startDockerCoins } from "../src/experiment";
import { parseHttpingArgs, parseHttpingOutput } from "../src/tools/httping";

const MiB = 1024 * 1024;

describe("httping (bretfisher/httping)", () => {
  it("completes a bare host:port into a URL as httping does", () => {
    expect(parseHttpingArgs(["-c", "5", "localhost:8001"])).toMatchObject({
      count: 5,
      host: "localhost",
      port: 8001,
      path: "/",
      url: "http://localhost:8001/",
      get: false,
    });
    expect(parseHttpingArgs(["-G", "-s", "http://example.com/x"])).toMatchObject({
      port: 80,
      path: "/x",
      get: true,
      showStatus: true,
    });
    expect(() => parseHttpingArgs([])).toThrow("No URL/host to ping given");
  });

  it("prints one line per ping and httping's statistics; HEAD / on rng waits in its queue", () => {
    const app = startDockerCoins({ seed: 1, workers: 1 });
    app.runFor(5000);
    const run = app.httping("rng", 3);
    expect(run.exitCode).toBe(0);
    expect(run.lines[0]).toBe("PING localhost:8001 (/):");
    for (const [i, l] of run.lines.slice(1, 4).entries()) {
      expect(l).toMatch(
        new RegExp(
          `^connected to 127\\.0\\.0\\.1:8001 \\(\\d+ bytes\\), seq=${i} time=[ \\d]{2}\\d\\.\\d\\d ms $`,
        ),
      );
    }
    expect(run.lines[4]).toBe("--- http://localhost:8001/ ping statistics ---");
    expect(run.lines[5]).toMatch(/^3 connects, 3 ok, 0\.00% failed, time \d+ms$/);
    expect(run.lines[6]).toMatch(/^round-trip min\/avg\/max = [\d.]+\/[\d.]+\/[\d.]+ ms$/);
    const parsed = parseHttpingOutput(run.lines);
    expect(parsed.times).toHaveLength(3);
    expect(parsed.min).toBeCloseTo(Math.min(...parsed.times), 1);
    // The --rm container is gone.
    expect(app.engine.containers({ all: true }).some((c) => c.image === "bretfisher/httping")).toBe(false);
    // rng logged the HEAD requests (HTTP/1.0, from the bridge gateway through the proxy).
    expect(
      app.project.logs({ services: ["rng"] }).lines.filter((l) => l.includes('"HEAD / HTTP/1.0" 200 -')),
    ).toHaveLength(3);
  });

  it("reports refused connections and exits 127 when nothing answered; -s adds the status", () => {
    const app = startDockerCoins({ seed: 1, workers: 1 });
    app.runFor(1000);
    const ok = app.httping("hasher", 1, ["-s"]);
    expect(ok.lines[1]).toMatch(/ ms 200 OK$/);
    runJob(app.sim, app.project.stop({ services: ["hasher"] }));
    const down = app.httping("hasher", 2);
    expect(down.lines.slice(1, 3)).toEqual([
      "could not connect (Connection refused)",
      "could not connect (Connection refused)",
    ]);
    expect(down.lines.at(-1)).toMatch(/^2 connects, 0 ok, 100\.00% failed, time \d+ms$/);
    expect(down.exitCode).toBe(127);
  });
});

describe("docker stats and top", () => {
  it("the stats table has Docker's columns and values", () => {
    const row = statsRow({
      id: "d91ef99173f3aaaa",
      name: "dockercoins-worker-1",
      cpuPercent: 0.2412,
      memoryBytes: 18.6 * MiB,
      memoryLimitBytes: 4 * 1024 * MiB,
      memoryPercent: 0.4541,
      netRxBytes: 42_400,
      netTxBytes: 14_600,
      blockReadBytes: 0,
      blockWriteBytes: 0,
      pids: 1,
    });
    expect(row).toEqual([
      "d91ef99173f3",
      "dockercoins-worker-1",
      "0.24%",
      "18.6MiB / 4GiB",
      "0.45%",
      "42.4kB / 14.6kB",
      "0B / 0B",
      "1",
    ]);
    expect(tabwriter([STATS_HEADER, row], DOCKER_TABLE).split("\n")[0]).toBe(
      "CONTAINER ID   NAME                   CPU %     MEM USAGE / LIMIT   MEM %     NET I/O           BLOCK I/O   PIDS",
    );
  });

  it("top shows the application's processes", () => {
    const app = startDockerCoins({ seed: 1, workers: 2 });
    app.runFor(20_000);
    const top = app.top().split("\n");
    expect(top[0]).toMatch(
      /^top - 00:00:20 up 0 min, {2}1 user, {2}load average: \d\.\d\d, \d\.\d\d, \d\.\d\d$/,
    );
    expect(top[2]).toMatch(/^%Cpu\(s\): +[\d.]+ us, +[\d.]+ sy, +0\.0 ni, +[\d.]+ id,/);
    expect(top[6]).toBe("    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND");
    const commands = top.slice(7).map((l) => l.trim().split(/\s+/).at(-1));
    for (const c of ["flask", "ruby", "node", "redis-server", "python", "dockerd"])
      expect(commands).toContain(c);
  });
});
