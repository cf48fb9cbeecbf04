// Faults the way a lab user makes them: docker stop/start/restart/kill/pause/unpause on the
// docker:dind nodes, docker network disconnect/connect, the lab's finer network faults, and
// simulated time (a step per command, sleep, advance).
import { describe, expect, it } from "vitest";
import { DOCKERD_SHUTDOWN_MS, Lab } from "../src/lab/index";

/** A lab with a swarm of node1 (manager) and the given workers. */
function swarmLab(seed: string, ...workers: string[]): Lab {
  const lab = new Lab({ seed });
  expect(lab.run("docker swarm init").exitCode).toBe(0);
  lab.run("TOKEN=$(docker swarm join-token -q worker)");
  for (const w of workers) {
    expect(lab.run(`docker run -d --privileged --name ${w} docker:dind`).exitCode).toBe(0);
    expect(lab.run(`docker exec ${w} docker swarm join --token $TOKEN 192.168.1.10:2377`).stdout).toBe(
      "This node joined a swarm as a worker.\n",
    );
  }
  return lab;
}

/** STATUS of each node in `docker node ls`, by hostname. */
function nodeStatus(lab: Lab): Record<string, string> {
  const out: Record<string, string> = {};
  for (const row of lab.run("docker node ls").stdout.trim().split("\n").slice(1)) {
    const cells = row.split(/\s{2,}|\s\*\s+/).filter((c) => c !== "");
    out[cells[1]] = cells[2];
  }
  return out;
}

function psStatus(lab: Lab, name: string): string {
  const line = lab
    .run("docker ps -a --format '{{.Names}}|{{.Status}}'")
    .stdout.split("\n")
    .find((l) => l.startsWith(`${name}|`));
  return line?.split("|")[1] ?? "";
}

describe("docker stop, kill, start, restart on the nodes", () => {
  it("stop is a clean shutdown (exit 0); the node goes Down, and comes back Ready on start", () => {
    const lab = swarmLab("stop", "node2");
    const before = lab.sim.now();
    expect(lab.run("docker stop node2")).toMatchObject({ exitCode: 0, stdout: "node2\n" });
    // dockerd handles SIGTERM: the CLI waited for its shutdown, not for the 10 s timeout.
    expect(lab.sim.now() - before).toBeLessThan(lab.stepMs + 10_000);
    expect(lab.sim.now() - before).toBeGreaterThanOrEqual(lab.stepMs + DOCKERD_SHUTDOWN_MS);
    expect(lab.sim.machine("node2").state).toBe("stopped");
    expect(psStatus(lab, "node2")).toMatch(/^Exited \(0\) /);
    expect(lab.run("docker ps").stdout).not.toContain("node2");
    lab.run("sleep 30");
    expect(nodeStatus(lab).node2).toBe("Down");
    expect(lab.run("docker start node2")).toMatchObject({ exitCode: 0, stdout: "node2\n" });
    lab.run("sleep 15");
    expect(nodeStatus(lab).node2).toBe("Ready");
    expect(psStatus(lab, "node2")).toMatch(/^Up /);
  });

  it("kill crashes the node (exit 137); restart reboots it with its swarm state", () => {
    const lab = swarmLab("kill", "node2");
    expect(lab.run("docker kill node2")).toMatchObject({ exitCode: 0, stdout: "node2\n" });
    expect(lab.sim.machine("node2").state).toBe("crashed");
    expect(psStatus(lab, "node2")).toMatch(/^Exited \(137\) /);
    const id = lab.container("node2")!.id;
    expect(lab.run("docker kill node2")).toMatchObject({
      exitCode: 1,
      stderr: `Error response from daemon: cannot kill container: node2: container ${id} is not running\n`,
    });
    expect(lab.run("docker restart node2").stdout).toBe("node2\n");
    expect(lab.sim.machine("node2").state).toBe("running");
    lab.run("sleep 15");
    expect(nodeStatus(lab).node2).toBe("Ready");
    expect(lab.run("docker exec node2 docker info | grep Swarm").stdout).toBe(" Swarm: active\n");
  });

  it("pause freezes the node (Paused, then Down); unpause brings it back", () => {
    const lab = swarmLab("pause", "node2");
    const id = lab.container("node2")!.id;
    expect(lab.run("docker pause node2").stdout).toBe("node2\n");
    expect(lab.sim.machine("node2").state).toBe("paused");
    expect(psStatus(lab, "node2")).toMatch(/^Up .* \(Paused\)$/);
    expect(lab.run("docker pause node2").stderr).toBe(
      `Error response from daemon: Container ${id} is already paused\n`,
    );
    lab.run("sleep 30");
    expect(nodeStatus(lab).node2).toBe("Down");
    expect(lab.run("docker unpause node2").stdout).toBe("node2\n");
    expect(lab.run("docker unpause node2").stderr).toBe(
      `Error response from daemon: Container ${id} is not paused\n`,
    );
    lab.run("sleep 15");
    expect(nodeStatus(lab).node2).toBe("Ready");
  });

  it("stopping a paused node waits the stop timeout, then kills it", () => {
    const lab = swarmLab("paused-stop", "node2");
    lab.run("docker pause node2");
    const before = lab.sim.now();
    expect(lab.run("docker stop -t 3 node2").stdout).toBe("node2\n");
    expect(lab.sim.now() - before).toBeGreaterThanOrEqual(lab.stepMs + 3000);
    expect(psStatus(lab, "node2")).toMatch(/^Exited \(137\) /);
  });

  it("several containers at once: successes print, failures say why, exit status 1", () => {
    const lab = swarmLab("many", "node2", "node3");
    const r = lab.run("docker stop node2 node9 node3");
    expect(r.stdout).toBe("node2\nnode3\n");
    expect(r.stderr).toBe("Error response from daemon: No such container: node9\n");
    expect(r.exitCode).toBe(1);
  });

  it("docker rm refuses a running node, rm -f removes it and frees its name", () => {
    const lab = swarmLab("rm", "node2");
    expect(lab.run("docker rm node2")).toMatchObject({
      exitCode: 1,
      stderr:
        'Error response from daemon: cannot remove container "/node2": container is running: stop the container before removing or force remove\n',
    });
    expect(lab.run("docker rm -f node2").stdout).toBe("node2\n");
    expect(lab.sim.hasMachine("node2")).toBe(false);
    expect(lab.run("docker run -d --privileged --name node2 docker:dind").exitCode).toBe(0);
  });

  it("without --privileged, docker:dind fails as it does for real", () => {
    const lab = new Lab({ seed: "unprivileged" });
    const r = lab.run("docker run --name node2 docker:dind");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("mount: permission denied (are you root?)");
    expect(r.stderr).toContain("AppArmor detection and --privileged mode might break.");
    expect(r.stderr).toContain("failed to start daemon");
    expect(lab.sim.hasMachine("node2")).toBe(false);
    expect(psStatus(lab, "node2")).toMatch(/^Exited \(1\) /);
    expect(lab.run("docker exec -it node2 sh").stderr).toMatch(
      /^Error response from daemon: container [0-9a-f]{64} is not running\n$/,
    );
  });
});

describe("docker network disconnect / connect", () => {
  it("cuts a node off every link (it goes Down) until it is connected again", () => {
    const lab = swarmLab("net", "node2", "node3");
    expect(lab.run("docker network disconnect bridge node2")).toMatchObject({
      exitCode: 0,
      stdout: "",
      stderr: "",
    });
    expect(lab.sim.machine("node2").addresses.filter((a) => a.startsWith("172.17."))).toEqual([]);
    expect(lab.sim.net.canReach("node1", "node2")).toBe(false);
    expect(lab.sim.net.canReach("node2", "node3")).toBe(false);
    // A heal of the lab's faults does not undo Docker's disconnect.
    lab.run("heal");
    expect(lab.sim.net.canReach("node1", "node2")).toBe(false);
    lab.run("sleep 30");
    expect(nodeStatus(lab)).toMatchObject({ node2: "Down", node3: "Ready" });
    const id = lab.container("node2")!.id;
    expect(lab.run("docker network disconnect bridge node2").stderr).toBe(
      `Error response from daemon: container ${id} is not connected to network bridge\n`,
    );
    expect(lab.run("docker network connect bridge node2").exitCode).toBe(0);
    expect(lab.sim.net.canReach("node1", "node2")).toBe(true);
    expect(lab.sim.machine("node2").address).toMatch(/^172\.17\.0\.\d+$/);
    expect(lab.run("docker network connect bridge node2").stderr).toBe(
      "Error response from daemon: endpoint with name node2 already exists in network bridge\n",
    );
    lab.run("sleep 15");
    expect(nodeStatus(lab).node2).toBe("Ready");
    expect(lab.run("docker network disconnect nonet node2").stderr).toBe(
      "Error response from daemon: network nonet not found\n",
    );
    expect(lab.run("docker network disconnect bridge node1").stderr).toBe(
      "Error response from daemon: No such container: node1\n",
    );
  });
});

describe("the lab's network faults", () => {
  it("partition splits the nodes (the unnamed ones form one more group); heal undoes it", () => {
    const lab = swarmLab("partition", "node2", "node3");
    expect(lab.run("partition node2").stdout).toBe("[lab] partitioned: node2 | node1 node3\n");
    expect(lab.sim.net.canReach("node1", "node2")).toBe(false);
    expect(lab.sim.net.canReach("node1", "node3")).toBe(true);
    lab.run("sleep 30");
    expect(nodeStatus(lab)).toMatchObject({ node2: "Down", node3: "Ready" });
    expect(lab.run("faults").stdout).toBe("partition: node2 | node1 node3\n");
    lab.run("heal");
    expect(lab.run("faults").stdout).toBe("[lab] no faults\n");
    lab.run("sleep 15");
    expect(nodeStatus(lab).node2).toBe("Ready");
  });

  it("block is one-way; latency and loss configure the kernel's links", () => {
    const lab = swarmLab("links", "node2");
    lab.run("block node2 node1");
    expect(lab.sim.net.canReach("node2", "node1")).toBe(false);
    expect(lab.sim.net.canReach("node1", "node2")).toBe(true);
    expect(lab.run("latency 50ms node2").stdout).toBe("[lab] latency 50ms on every link of node2\n");
    expect(lab.sim.net.link("node1", "node2").latency).toEqual({ kind: "fixed", ms: 50 });
    expect(lab.run("loss 20% node1 node2").stdout).toBe("[lab] loss 20% between node1 and node2\n");
    expect(lab.sim.net.link("node2", "node1").loss).toBeCloseTo(0.2);
    lab.run("latency 10ms 2ms");
    expect(lab.sim.net.link("node1", "node2").latency).toMatchObject({ kind: "normal", mean: 60 });
    expect(lab.run("faults").stdout).toBe(
      "block: node2 -> node1\nlatency 10ms ±2ms on every link\nlatency 50ms on every link of node2\nloss 20% between node1 and node2\n",
    );
    lab.run("heal");
    expect(lab.sim.net.canReach("node2", "node1")).toBe(true);
    expect(lab.sim.net.link("node1", "node2").loss).toBeUndefined();
    expect(lab.sim.net.link("node1", "node2").latency.kind).toBe("normal");
  });

  it("rejects unknown nodes and bad values without changing anything", () => {
    const lab = swarmLab("bad-faults", "node2");
    expect(lab.run("partition node9")).toMatchObject({ exitCode: 1 });
    expect(lab.run("partition node9").stderr).toContain("no such node: node9");
    expect(lab.run("block node1")).toMatchObject({ exitCode: 2, stderr: "usage: block FROM TO\n" });
    expect(lab.run("latency 50 node2").exitCode).toBe(2);
    expect(lab.run("loss 150%").exitCode).toBe(2);
    expect(lab.run("faults").stdout).toBe("[lab] no faults\n");
    expect(lab.sim.net.canReach("node1", "node2")).toBe(true);
  });
});

describe("simulated time", () => {
  it("every command is one step; sleep and advance add their durations", () => {
    const lab = new Lab({ seed: "time", stepMs: 2000 });
    let t = lab.sim.now();
    lab.run("true");
    expect(lab.sim.now() - t).toBe(2000);
    t = lab.sim.now();
    lab.run("sleep 30");
    expect(lab.sim.now() - t).toBe(32_000);
    t = lab.sim.now();
    lab.run("sleep 1m 1.5");
    expect(lab.sim.now() - t).toBe(2000 + 61_500);
    t = lab.sim.now();
    expect(lab.run("advance 1h30m").stdout).toMatch(
      /^\[lab\] advanced 1h30m0s; simulated time is now 01:31:\d\d\n$/,
    );
    expect(lab.sim.now() - t).toBe(2000 + 5_400_000);
    t = lab.sim.now();
    lab.run("");
    lab.run("# nothing");
    expect(lab.sim.now()).toBe(t);
    expect(lab.run("sleep")).toMatchObject({
      exitCode: 1,
      stderr: "sleep: missing operand\nTry 'sleep --help' for more information.\n",
    });
    expect(lab.run("sleep soon").stderr).toBe(
      "sleep: invalid time interval 'soon'\nTry 'sleep --help' for more information.\n",
    );
    expect(lab.run("advance").exitCode).toBe(2);
    expect(lab.run("date").stdout).toMatch(/^Thu Jan {2}1 01:3\d:\d\d UTC 2026\n$/);
  });
});

describe("several addresses: swarm init must be told which", () => {
  it("node1 with two interfaces (Lab option) gets Docker's advertise-address error", () => {
    const lab = new Lab({
      seed: "addrs",
      node1Interfaces: [
        { name: "eth0", address: "192.168.1.10" },
        { name: "eth1", address: "10.10.0.10" },
      ],
    });
    expect(lab.run("docker swarm init")).toMatchObject({
      exitCode: 1,
      stderr:
        "Error response from daemon: could not choose an IP address to advertise since this system has multiple addresses on different interfaces (192.168.1.10 on eth0 and 10.10.0.10 on eth1) - specify one with --advertise-addr\n",
    });
    expect(lab.run("docker swarm init --advertise-addr eth1").stdout).toContain("10.10.0.10:2377");
  });

  it("the Docker way: a second network connected to a node gives it a second interface", () => {
    const lab = new Lab({ seed: "addrs3" });
    expect(lab.run("docker network ls").stdout).toMatch(
      /^NETWORK ID {5}NAME {6}DRIVER {4}SCOPE\n[0-9a-f]{12} {3}bridge {4}bridge {4}local\n[0-9a-f]{12} {3}host {6}host {6}local\n[0-9a-f]{12} {3}none {6}null {6}local\n$/,
    );
    expect(lab.run("docker network create second").stdout).toMatch(/^[0-9a-f]{64}\n$/);
    lab.run("docker run -d --privileged --name node2 docker:dind");
    expect(lab.run("docker network connect second node2").exitCode).toBe(0);
    expect(lab.run("docker exec node2 docker swarm init").stderr).toBe(
      "Error response from daemon: could not choose an IP address to advertise since this system has multiple addresses on different interfaces (172.17.0.2 on eth0 and 172.18.0.2 on eth1) - specify one with --advertise-addr\n",
    );
    expect(lab.run("docker network rm second").stderr).toMatch(
      /^Error response from daemon: error while removing network: network second id [0-9a-f]{64} has active endpoints\n$/,
    );
    lab.run("docker network disconnect second node2");
    expect(lab.run("docker network rm second").stdout).toBe("second\n");
    expect(lab.run("docker exec node2 docker swarm init").exitCode).toBe(0);
  });

  it("ip addr add on a node, or a node created with extra interfaces, does the same", () => {
    const lab = new Lab({ seed: "addrs2" });
    lab.run("docker run -d --privileged --name node2 docker:dind");
    lab.run("docker exec -it node2 sh");
    expect(lab.run("ip addr add 10.20.0.2/24 dev eth1").exitCode).toBe(0);
    expect(lab.run("ip addr").stdout).toContain("inet 10.20.0.2/24 scope global eth1");
    expect(lab.run("ip addr add 10.20.0.2/24 dev eth1").stderr).toBe("RTNETLINK answers: File exists\n");
    expect(lab.run("docker swarm init").stderr).toMatch(
      /could not choose an IP address to advertise since this system has multiple addresses on different interfaces \(172\.17\.0\.2 on eth0 and 10\.20\.0\.2 on eth1\)/,
    );
    lab.run("exit");
    lab.createNode("node3", { extraInterfaces: [{ name: "eth1", address: "10.30.0.3" }] });
    expect(lab.run("docker exec node3 docker swarm init").stderr).toContain(
      "(172.17.0.3 on eth0 and 10.30.0.3 on eth1)",
    );
    expect(lab.run("nodes").stdout).toMatch(
      /node3\s+running\s+172\.17\.0\.3 \(eth0\), 10\.30\.0\.3 \(eth1\)/,
    );
  });
});
