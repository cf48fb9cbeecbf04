// The plugin interface: a plugin registers images (program factories) that every node's engine
// runs, docker command handlers, shell commands, files and repositories. The programs here
// are small but real: they run in the engine's containers on the simulated clock.
import { describe, expect, it } from "vitest";
import type { ImageSpec, Program } from "../src/engine/index";
import { Lab, type LabPlugin, engineOf } from "../src/lab/index";

/** Prints a line and exits 0. */
const hello: ImageSpec = {
  name: "lab/hello",
  command: [],
  create: (): Program => ({
    start(ctx) {
      ctx.log(`hello from ${ctx.hostname}`);
      ctx.exit(0);
    },
  }),
};

/** Logs a tick every second until stopped; ignores SIGTERM, so docker stop must kill it. */
const ticker: ImageSpec = {
  name: "lab/ticker",
  command: ["tick"],
  create: (): Program => ({
    start(ctx) {
      let n = 0;
      const tick = () => {
        ctx.log(`tick ${++n}`);
        ctx.after(1000, tick);
      };
      tick();
    },
  }),
};

function testPlugin(seen: string[]): LabPlugin {
  return {
    name: "test-plugin",
    install(host) {
      host.registerImage(hello);
      host.forEachNode((node) => {
        seen.push(node.name);
        engineOf(node)?.images.register(ticker);
      });
      host.registerDockerCommand(["compose", "ps"], (cmd, io, shell) => {
        io.out(`compose ps on ${shell.node.name} (${cmd.args.length} args)\n`);
        return 0;
      });
      host.addFiles({ "notes/todo.txt": "scale the workers\n" });
      host.addRepository("https://example.com/demo.git", { README: "demo\n" });
    },
  };
}

describe("lab plugins", () => {
  it("images run in containers: attached, detached, --rm, logs, and stop with SIGKILL after 10 s", () => {
    const seen: string[] = [];
    const lab = new Lab({ seed: "plugin", plugins: [testPlugin(seen)] });
    expect(seen).toEqual(["node1"]);

    const attached = lab.run("docker run --rm lab/hello");
    expect(attached.exitCode).toBe(0);
    expect(attached.stdout).toMatch(/^hello from [0-9a-f]{12}\n$/);
    expect(attached.stderr).toContain("Unable to find image 'lab/hello:latest' locally\n");
    expect(lab.run("docker ps -a -q").stdout).toBe("");

    expect(lab.run("docker run -d --name h1 lab/hello").stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(lab.run("docker logs h1").stdout).toMatch(/^hello from [0-9a-f]{12}\n$/);
    expect(lab.run("docker ps -a --format '{{.Names}} {{.Status}}'").stdout).toMatch(
      /^h1 Exited \(0\) \d+ seconds? ago\n$/,
    );

    lab.run("docker run -d --name clock lab/ticker");
    lab.run("sleep 5");
    expect(lab.run("docker ps").stdout).toMatch(/lab\/ticker\s+"tick"\s+.*Up \d+ seconds\s+clock\n/);
    expect(lab.run("docker logs --tail 1 clock").stdout).toMatch(/^tick \d+\n$/);
    const before = lab.sim.now();
    expect(lab.run("docker stop clock").stdout).toBe("clock\n");
    expect(lab.sim.now() - before).toBeGreaterThanOrEqual(10_000);
    expect(lab.run("docker ps -a --format '{{.Names}} {{.Status}}'").stdout).toContain("clock Exited (137)");
  });

  it("nodes created later get the plugin's set-up; commands, files and repositories are there", () => {
    const seen: string[] = [];
    const lab = new Lab({ seed: "plugin2" });
    lab.use(testPlugin(seen));
    lab.use(testPlugin(seen)); // installing twice is a no-op
    lab.run("docker run -d --privileged --name node2 docker:dind");
    expect(seen).toEqual(["node1", "node2"]);
    lab.run("docker exec -it node2 sh");
    expect(lab.run("docker run --rm lab/hello").stdout).toMatch(/^hello from /);
    expect(lab.run("docker compose ps").stdout).toBe("compose ps on node2 (0 args)\n");
    lab.run("exit");
    expect(lab.run("cat notes/todo.txt").stdout).toBe("scale the workers\n");
    expect(lab.run("git clone https://example.com/demo.git").exitCode).toBe(0);
    expect(lab.run("ls").stdout).toBe("demo  notes\n");
  });
});
