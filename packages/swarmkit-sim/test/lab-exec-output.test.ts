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

describe("docker run's flags", () => {
  it("-q keeps the pull messages out; a flag the simulator does not model is refused, nothing created", () => {
    const lab = new Lab({ seed: "run-flags" });
    const quiet = lab.run("docker run -d -q --name quiet nginx");
    expect(quiet.stderr).toBe("");
    expect(quiet.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    for (const [line, flag] of [
      ["docker run -d -v data:/data --name vol redis", "docker run --volume"],
      ["docker run -d --memory 64m --name mem nginx", "docker run --memory"],
      ["docker container run -d --label team=x --name lab nginx", "docker container run --label"],
    ] as const) {
      const r = lab.run(line);
      expect(r.exitCode, line).toBe(1);
      expect(r.stderr, line).toBe(`swarm-sim: '${flag}' is not supported in the simulator\n`);
    }
    expect(lab.run("docker ps -a --format '{{.Names}}'").stdout).toBe("quiet\n");
  });
});

describe("other commands' unmodelled flags", () => {
  it("are refused with the command as typed, and change nothing", () => {
    const lab = new Lab({ seed: "unmodelled-flags", services: true });
    const refused = (line: string, what: string) => {
      const r = lab.run(line);
      expect(r.stderr, line).toBe(`swarm-sim: '${what}' is not supported in the simulator\n`);
      expect(r.exitCode, line).toBe(1);
    };
    refused("docker swarm init --default-addr-pool 10.20.0.0/16", "docker swarm init --default-addr-pool");
    expect(lab.run("docker info --format '{{.Swarm.LocalNodeState}}'").stdout).toBe("inactive\n");
    lab.run("docker swarm init");
    refused("docker swarm update --snapshot-interval 5000", "docker swarm update --snapshot-interval");
    refused("docker network create -d overlay --internal back", "docker network create --internal");
    expect(lab.run("docker network ls --format '{{.Name}}'").stdout).not.toMatch(/back/);
    lab.run("docker run -d --name web nginx");
    refused("docker logs --since 5m web", "docker logs --since");
    refused("docker exec -u 1000 web true", "docker exec --user");
    lab.run("docker service create -d --name svc nginx");
    refused("docker service logs --since 5m svc", "docker service logs --since");
  });
});
