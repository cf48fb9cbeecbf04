// Four places where the lab answered otherwise than Docker does:
// - the progress of `docker service scale|create|update` (cli/command/service/progress) counts
//   the running up-to-date tasks of every slot and converges when they are as many as the
//   replicas, so slots 1 and 4 left by a scale-down converge at once;
// - `docker swarm unlock` (cli/command/swarm/unlock.go readKey) prompts only when stdin is a
//   terminal, and otherwise reads one line of stdin, trimmed;
// - `docker exec -i` hands the CLI's stdin to the command, without -i it gets none, and with -t
//   the CLI wants a terminal (streams.In.CheckTty);
// - `docker info` counts the engine's containers by state and its images.
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";

const BAR = `[${"=".repeat(50)}>]`;
const COUNTS =
  "docker info --format '{{.Containers}} {{.ContainersRunning}} {{.ContainersPaused}} {{.ContainersStopped}} {{.Images}}'";

function ok(lab: Lab, line: string) {
  const r = lab.run(line);
  expect(r.stderr, line).not.toMatch(/Error|error:/);
  expect(r.exitCode, line).toBe(0);
  return r;
}

/** A swarm of node1 (manager) and node2 (worker) in the lab, with services. */
function twoNodeSwarm(seed: string): Lab {
  const lab = new Lab({ seed, services: true });
  ok(lab, "docker swarm init");
  ok(lab, "TOKEN=$(docker swarm join-token -q worker)");
  ok(lab, "docker run -d --privileged --name node2 docker:dind");
  ok(lab, "docker exec node2 docker swarm join --token $TOKEN 192.168.1.10:2377");
  return lab;
}

/** The slots of the service's running tasks, from `docker service ps`. */
function runningSlots(lab: Lab, service: string): number[] {
  const out = ok(
    lab,
    `docker service ps ${service} --filter desired-state=running --format '{{.Name}}'`,
  ).stdout;
  return out
    .trim()
    .split("\n")
    .map((n) => Number(n.split(".")[1]))
    .sort((a, b) => a - b);
}

describe("service progress", () => {
  it("converges when slots are not 1..N after a scale-down, and again after a scale-up", () => {
    const lab = new Lab({ seed: 1, services: true });
    ok(lab, "docker swarm init");
    // Three tasks on node1 first; then node2 joins and takes slot 4.
    const id = ok(lab, "docker service create -q --name web --replicas 3 nginx").stdout.trim();
    ok(lab, "TOKEN=$(docker swarm join-token -q worker)");
    ok(lab, "docker run -d --privileged --name node2 docker:dind");
    ok(lab, "docker exec node2 docker swarm join --token $TOKEN 192.168.1.10:2377");
    ok(lab, "docker service scale web=4");
    // Scaling down keeps one task per node: slots 1 and 4, not 1 and 2.
    const before = lab.sim.now();
    const down = ok(lab, "docker service scale web=2");
    expect(runningSlots(lab, "web")).toEqual([1, 4]);
    expect(down.stdout).toBe(
      [
        "web scaled to 2",
        "overall progress: 2 out of 2 tasks",
        `1/2: running   ${BAR}`,
        `2/2: running   ${BAR}`,
        `verify: Service ${id} converged`,
        "",
      ].join("\n"),
    );
    // One step and the 5 s monitor period, not the 180 s the lab waits before giving up.
    expect(lab.sim.now() - before).toBeLessThan(30_000);
    const up = ok(lab, "docker service scale web=5");
    expect(up.stdout).toContain("overall progress: 5 out of 5 tasks\n");
    expect(up.stdout).toContain(`5/5: running   ${BAR}\n`);
    expect(up.stdout).toMatch(/verify: Service \w+ converged\n$/);
    expect(up.stdout).not.toContain("Operation continuing in background");
  });

  it("draws no task bars past 20 replicas, as the CLI", () => {
    const lab = new Lab({ seed: "bars", services: true });
    ok(lab, "docker swarm init");
    const r = ok(lab, "docker service create --name many --replicas 21 nginx");
    const [id, ...rest] = r.stdout.trimEnd().split("\n");
    expect(rest).toEqual(["overall progress: 21 out of 21 tasks", `verify: Service ${id} converged`]);
  });
});

describe("docker swarm unlock off a terminal", () => {
  /** node2 as a locked autolock manager; returns its unlock key. */
  function lockedNode2(lab: Lab): string {
    ok(lab, "docker run -d --privileged --name node2 docker:dind");
    const init = ok(lab, "docker exec node2 docker swarm init --autolock").stdout;
    const key = /SWMKEY-1-[A-Za-z0-9+/]{43}/.exec(init)![0];
    ok(lab, "docker restart node2");
    expect(ok(lab, "docker exec node2 docker info --format '{{.Swarm.LocalNodeState}}'").stdout).toBe(
      "locked\n",
    );
    return key;
  }

  it("reads the key from piped stdin, trimmed, without a prompt", () => {
    const lab = new Lab({ seed: "unlock" });
    const key = lockedNode2(lab);
    ok(lab, "docker exec -it node2 sh");
    expect(lab.run("docker swarm unlock").stdout).toBe("Enter unlock key: \n");
    const r = lab.run(`echo "  ${key}  " | docker swarm unlock`);
    expect(r).toMatchObject({ stdout: "", stderr: "", exitCode: 0 });
    expect(lab.run("docker info --format '{{.Swarm.LocalNodeState}}'").stdout).toBe("active\n");
  });

  it("takes an empty piped stdin as an empty key, which the daemon rejects", () => {
    const lab = new Lab({ seed: "unlock-empty" });
    lockedNode2(lab);
    ok(lab, "docker exec -it node2 sh");
    for (const line of ["true | docker swarm unlock", "echo | docker swarm unlock"]) {
      expect(lab.run(line)).toMatchObject({
        stdout: "",
        stderr: "Error response from daemon: invalid key string\n",
        exitCode: 1,
      });
    }
  });

  it("docker exec -i passes stdin through to the command; without -i it gets none", () => {
    const lab = new Lab({ seed: "exec-stdin" });
    const key = lockedNode2(lab);
    ok(lab, `KEY=${key}`);
    expect(lab.run("echo $KEY | docker exec node2 docker swarm unlock")).toMatchObject({
      stderr: "Error response from daemon: invalid key string\n",
      exitCode: 1,
    });
    expect(lab.run("echo $KEY | docker exec -it node2 docker swarm unlock")).toMatchObject({
      stdout: "",
      stderr: "the input device is not a TTY\n",
      exitCode: 1,
    });
    expect(lab.run("echo $KEY | docker exec -i node2 docker swarm unlock")).toMatchObject({
      stdout: "",
      stderr: "",
      exitCode: 0,
    });
    expect(ok(lab, "docker exec node2 docker info --format '{{.Swarm.LocalNodeState}}'").stdout).toBe(
      "active\n",
    );
  });
});

describe("docker exec stdin", () => {
  it("-i feeds the command, or sh's script; nothing without -i", () => {
    const lab = new Lab({ seed: "exec-cat" });
    ok(lab, "docker run -d --privileged --name node2 docker:dind");
    expect(ok(lab, "echo hello | docker exec -i node2 cat").stdout).toBe("hello\n");
    expect(ok(lab, "echo hello | docker exec node2 cat").stdout).toBe("");
    expect(ok(lab, "echo 'docker info | grep Swarm; echo done' | docker exec -i node2 sh").stdout).toBe(
      " Swarm: inactive\ndone\n",
    );
    // The CLI checks the terminal only after finding the container.
    expect(lab.run("echo hello | docker exec -it nosuch cat").stderr).toBe(
      "Error response from daemon: No such container: nosuch\n",
    );
  });
});

describe("docker info counts", () => {
  it("counts node1's containers (its docker:dind nodes too) by state, and its images", () => {
    const lab = new Lab({ seed: "info-counts", services: true });
    expect(ok(lab, COUNTS).stdout).toBe("0 0 0 0 0\n");
    ok(lab, "docker run -d --privileged --name node2 docker:dind");
    ok(lab, "docker run -d --privileged --name node3 docker:dind");
    ok(lab, "docker pause node3");
    ok(lab, "docker run -d --name web nginx");
    ok(lab, "docker stop web");
    expect(ok(lab, COUNTS).stdout).toBe("3 1 1 1 2\n");
    expect(ok(lab, "docker info").stdout).toContain(
      "Server:\n Containers: 3\n  Running: 1\n  Paused: 1\n  Stopped: 1\n Images: 2\n",
    );
  });

  it("counts a node's swarm task containers, and keeps the image when they go", () => {
    const lab = twoNodeSwarm("info-tasks");
    ok(lab, "docker node update --availability drain node1");
    ok(lab, "docker service create --name w --replicas 2 nginx");
    expect(ok(lab, `docker exec node2 ${COUNTS}`).stdout).toBe("2 2 0 0 1\n");
    expect(ok(lab, "docker exec node2 docker info").stdout).toContain(
      " Containers: 2\n  Running: 2\n  Paused: 0\n  Stopped: 0\n Images: 1\n",
    );
    ok(lab, "docker service rm w");
    ok(lab, "sleep 10");
    expect(ok(lab, `docker exec node2 ${COUNTS}`).stdout).toMatch(/ 1\n$/);
  });
});
