// The simulator reads nothing of the host unless its caller hands it a reader: a lab user's
// `docker stack deploy -c /some/host/file` sees the node's files only, and no source file of the
// library (but the project's own checkers and the property-test replay writer) touches the
// host's file system or spawns processes.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Sim } from "../src/kernel/sim";
import { Lab } from "../src/lab/index";
import { buildSwarm } from "../src/swarm/build";
import type { ParsedCommand } from "../src/cli/grammar/types";
import { stackDeploy } from "../src/docker/stack/stack-cmds";
import { runJob } from "../src/lab/host-loop";

describe("the host stays out of reach", () => {
  it("docker stack deploy -c reads the node's files, never the host's", () => {
    const dir = mkdtempSync(join(tmpdir(), "swarm-sim-host-"));
    try {
      const hostFile = join(dir, "docker-compose.yml");
      writeFileSync(hostFile, "services:\n  web:\n    image: nginx\n");
      const lab = new Lab({ seed: 1, services: true });
      expect(lab.run("docker swarm init").exitCode).toBe(0);
      const r = lab.run(`docker stack deploy -c ${hostFile} web`);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toBe(`open ${hostFile}: no such file or directory\n`);
      expect(lab.run("docker service ls -q").stdout).toBe("");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a host that hands the command no reader gives it no files (the library's default)", () => {
    const sim = new Sim({ seed: 2 });
    const s = buildSwarm(sim, { managers: 1, workers: 0 });
    // A file that exists on the host: the library must not read it.
    const cmd = {
      program: "docker",
      path: ["stack", "deploy"],
      id: "stack deploy",
      flags: { "compose-file": ["/etc/hostname"] },
      changed: new Set(["compose-file"]),
      raw: {},
      args: ["web"],
    } as unknown as ParsedCommand;
    let err = "";
    const code = runJob(
      sim,
      stackDeploy(
        cmd,
        { out: () => {}, err: (t) => (err += t) },
        { sim, machine: s.managers[0].machine, swarm: s.managers[0] },
      ),
    );
    expect(code).toBe(1);
    expect(err).toBe("open /etc/hostname: no such file or directory\n");
    // The same command with a reader its host hands in (as the swarm-sim CLI can) reads through
    // it: the assertion above would fail if the library read files on its own.
    const read: string[] = [];
    const withReader = runJob(
      sim,
      stackDeploy(
        cmd,
        { out: () => {}, err: () => {} },
        {
          sim,
          machine: s.managers[0].machine,
          swarm: s.managers[0],
          readFile: (path) => {
            read.push(path);
            return "services:\n  web:\n    image: nginx\n";
          },
        },
      ),
    );
    expect(read).toEqual(["/etc/hostname"]);
    expect(withReader).toBe(0);
  });

  it("no library source imports the file system or child processes", () => {
    const src = join(import.meta.dirname, "..", "src");
    // The checkers read the sources they check; fc-params writes a failing case's replay file;
    // the live lab writes the session file its caller names (the CLI's --session); the studio's
    // server reads the package's own page files (studio-files/), nothing a user names.
    const allowed = new Set([
      "lint/layers.ts",
      "lint/wall-clock.ts",
      "testing/fc-params.ts",
      "lab/live/run.ts",
      "lab/studio/server.ts",
    ]);
    const offenders: string[] = [];
    for (const f of readdirSync(src, { recursive: true }) as string[]) {
      if (!f.endsWith(".ts") || allowed.has(f.split("\\").join("/"))) continue;
      const text = readFileSync(join(src, f), "utf8");
      if (
        /from\s+["']node:(fs|child_process|fs\/promises)["']|require\(["'](node:)?(fs|child_process)["']\)/.test(
          text,
        )
      )
        offenders.push(f);
    }
    expect(offenders).toEqual([]);
  });
});
