// The node's tools, in any lab (no plugin needed): `docker stats` (Docker's table over the
// engine's meters; streaming shows one frame) and `top` (one batch frame, procps's layout).
import { describe, expect, it } from "vitest";
import { timePlus, uptimeText } from "../src/lab/commands/top";
import { Lab } from "../src/lab/index";

describe("docker stats and top in the lab", () => {
  it("show the node's containers and processes", () => {
    const lab = new Lab({ seed: "tools" });
    lab.run("docker run -d --name web nginx");
    lab.run("sleep 5");
    const stats = lab.run("docker stats --no-stream");
    expect(stats.exitCode).toBe(0);
    const rows = stats.stdout.trimEnd().split("\n");
    expect(rows[0]).toMatch(
      /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/,
    );
    expect(rows[1]).toMatch(/^[0-9a-f]{12}\s+web\s+[\d.]+%\s+[\d.]+\w+ \/ [\d.]+GiB\s/);
    const streaming = lab.run("docker stats");
    expect(streaming.stdout.split("\n")[0]).toBe(rows[0]);
    expect(streaming.stderr).toBe(
      "[lab] docker stats streams until Ctrl-C; the lab shows one frame (use --no-stream).\n",
    );
    const top = lab.run("top").stdout.split("\n");
    expect(top[0]).toMatch(/^top - 00:00:\d\d up 0 min, {2}1 user, {2}load average: /);
    expect(top[6]).toBe("    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND");
    expect(top.slice(7).map((l) => l.trim().split(/\s+/).at(-1))).toContain("nginx");
  });

  it("top's pieces print as procps does", () => {
    expect(timePlus(75.257)).toBe("1:15.25");
    expect(uptimeText(10 * 60_000)).toBe("up 10 min");
    expect(uptimeText(65 * 60_000)).toBe("up  1:05");
    expect(uptimeText(2 * 86_400_000 + 3 * 3_600_000 + 4 * 60_000)).toBe("up 2 days,  3:04");
  });
});
