// `docker exec NODE CMD` shows what CMD wrote on both streams in the order it wrote them, as a
// terminal would: a `docker run -d` inside a node prints the pull messages (stderr) first and
// the container ID (stdout) last.
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";
import { terminalText } from "../src/lab/types";

describe("docker exec output", () => {
  it("keeps the order of stdout and stderr writes", () => {
    const lab = new Lab({ seed: "exec-output" });
    lab.run("docker run -d --privileged --name node2 docker:dind");
    for (const line of [
      "docker exec node2 docker run -d nginx",
      'docker exec node2 sh -c "docker run -d alpine sleep 9"',
    ]) {
      const lines = terminalText(lab.run(line)).trimEnd().split("\n");
      expect(lines[0]).toMatch(/^Unable to find image '(nginx|alpine):latest' locally$/);
      expect(lines[lines.length - 1]).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});

describe("docker exec -t", () => {
  it("has one stream, the terminal's: the command's errors come out on stdout", () => {
    const lab = new Lab({ seed: 2 });
    lab.run("docker run -d --privileged --name node2 docker:dind");
    const plain = lab.run("docker exec node2 docker node ls");
    expect(plain.stdout).toBe("");
    expect(plain.stderr).toContain("This node is not a swarm manager");
    const tty = lab.run("docker exec -t node2 docker node ls 2>/dev/null");
    expect(tty.stdout).toContain("This node is not a swarm manager");
    expect(tty.stderr).toBe("");
    expect(tty.exitCode).toBe(1);
  });
});

describe("docker run -it", () => {
  it("refuses piped input, as the CLI's CheckTty does, and creates nothing", () => {
    const lab = new Lab({ seed: 3 });
    const r = lab.run("echo hi | docker run -it --privileged --name node2 docker:dind");
    expect(r).toMatchObject({ stdout: "", stderr: "the input device is not a TTY\n", exitCode: 1 });
    expect(lab.run("docker ps -a --format '{{.Names}}'").stdout).toBe("");
  });
});
