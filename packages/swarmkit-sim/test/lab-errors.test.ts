// Bad input to the lab: unknown commands, unknown flags, missing arguments, unknown containers
// and images get Docker's (or sh's) messages and a non-zero status, never a stack trace, and the
// lab's state stays as it was. A property test throws random junk at it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";
import { fcParams } from "../src/testing/fc-params";

/** Everything a failing command must leave as it was (time aside). */
function snapshot(lab: Lab) {
  const names = lab.sim.machineNames();
  return JSON.stringify({
    machines: names.map((n) => {
      const m = lab.sim.machine(n);
      return [n, m.state, m.interfaces.map((i) => `${i.name}=${i.address}`)];
    }),
    reach: names.flatMap((a) => names.map((b) => lab.sim.net.canReach(a, b))),
    containers: lab.containers.map((c) => [c.name, c.state(), c.networks()]),
    shell: [lab.depth(), lab.currentNode().name, lab.currentShell().cwd, [...lab.currentShell().vars]],
    swarm: lab.nodeNames().map((n) => lab.swarmSummary(lab.node(n))),
    faults: lab.faults.describe(),
    exited: lab.exited,
    files: lab.node1.files.list("/home/docker"),
  });
}

function readyLab(seed: string): Lab {
  const lab = new Lab({ seed });
  lab.run("docker swarm init");
  lab.run("docker run -d --privileged --name node2 docker:dind");
  return lab;
}

describe("bad input gets Docker's messages and changes nothing", () => {
  const cases: [string, number, string][] = [
    ["frobnicate", 127, "sh: frobnicate: not found\n"],
    [
      "docker frobnicate",
      1,
      "docker: unknown command: docker frobnicate\n\nRun 'docker --help' for more information\n",
    ],
    [
      "docker ps --bogus",
      125,
      "unknown flag: --bogus\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n",
    ],
    [
      "docker stop",
      1,
      "docker: 'docker stop' requires at least 1 argument\n\nUsage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'docker stop --help' for more information\n",
    ],
    ["docker stop node9", 1, "Error response from daemon: No such container: node9\n"],
    ["docker exec node9 sh", 1, "Error response from daemon: No such container: node9\n"],
    ["docker network disconnect bridge node9", 1, "Error response from daemon: No such container: node9\n"],
    [
      "docker run --privileged --name node2 docker:dind",
      125,
      'docker: Error response from daemon: Conflict. The container name "/node2" is already in use by container "ID". You have to remove (or rename) that container to be able to reuse that name.\nSee \'docker run --help\'.\n',
    ],
    [
      "docker run --privileged --name no/pe docker:dind",
      125,
      "docker: Error response from daemon: Invalid container name (no/pe), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed.\nSee 'docker run --help'.\n",
    ],
    [
      "docker run nosuchimage",
      125,
      "Unable to find image 'nosuchimage:latest' locally\ndocker: Error response from daemon: pull access denied for nosuchimage, repository does not exist or may require 'docker login': denied: requested access to the resource is denied.\nSee 'docker run --help'.\n[lab] nosuchimage:latest is not one of the lab's simulated images: alpine, busybox, nginx\n",
    ],
    [
      "docker swarm init",
      1,
      'Error response from daemon: This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.\n',
    ],
    ["partition node1,node9", 1, "partition: no such node: node9 (nodes: node1, node2)\n"],
    ["cd /nowhere", 1, "bash: cd: /nowhere: No such file or directory\n"],
    [
      "sleep forever",
      1,
      "sleep: invalid time interval 'forever'\nTry 'sleep --help' for more information.\n",
    ],
    ["echo 'unbalanced", 2, ""],
  ];

  for (const [line, status, message] of cases) {
    it(line, () => {
      const lab = readyLab("errors");
      const before = snapshot(lab);
      const r = lab.run(line);
      const id = lab.container("node2")!.id;
      expect(r.exitCode, r.stderr).toBe(status);
      if (message !== "") expect(r.stderr).toBe(message.replace('"ID"', `"${id}"`));
      else expect(r.stderr).not.toBe("");
      expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
      expect(snapshot(lab)).toBe(before);
    });
  }

  it("random junk never throws, and a failing line leaves the lab as it was", () => {
    const word = fc.constantFrom(
      "docker",
      "run",
      "ps",
      "exec",
      "stop",
      "start",
      "kill",
      "pause",
      "unpause",
      "rm",
      "logs",
      "network",
      "disconnect",
      "connect",
      "bridge",
      "swarm",
      "join",
      "leave",
      "node",
      "ls",
      "promote",
      "demote",
      "info",
      "-it",
      "-d",
      "--bogus",
      "-t",
      "x",
      "--name",
      "node9",
      "sh",
      "-c",
      "'",
      '"',
      "|",
      "&&",
      ";",
      "$(",
      ")",
      "grep",
      "head",
      "-n",
      "sleep",
      "partition",
      "block",
      "latency",
      "loss",
      "cd",
      "/nope",
      "cat",
      "ls",
      "git",
      "clone",
      "ip",
      "addr",
      "add",
      "dev",
      "10.9.9.9/24",
      "advance",
      "--help",
      "help",
      "nodes",
      "faults",
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(word, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
        (lines) => {
          const lab = readyLab("junk");
          for (const words of lines) {
            const line = words.join(" ");
            const before = snapshot(lab);
            const r = lab.run(line);
            expect(Number.isInteger(r.exitCode)).toBe(true);
            expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
            if (r.exitCode !== 0) expect(snapshot(lab), line).toBe(before);
          }
        },
      ),
      fcParams(40),
    );
  });
});

describe("help", () => {
  it("lists the lab's commands by group, the filters, and plugin commands", () => {
    const lab = new Lab({ seed: 1 });
    lab.use({
      name: "greeter",
      install: (h) =>
        h.registerShellCommand({
          name: "greet",
          synopsis: "greet NAME",
          description: "say hello",
          run: (argv, io) => {
            io.out(`hello ${argv[0] ?? "world"}\n`);
            return 0;
          },
        }),
    });
    const help = lab.run("help").stdout;
    for (const cmd of [
      "sleep N",
      "advance DURATION",
      "partition A,B C",
      "block FROM TO",
      "latency DELAY",
      "loss PERCENT",
      "heal",
      "faults",
      "nodes",
      "ip addr",
      "exit [N]",
      "cd [DIR]",
      "git clone URL",
    ]) {
      expect(help).toContain(`  ${cmd}`);
    }
    expect(help).toContain("From plugins:\n  greet NAME");
    expect(help).toContain("grep, head, tail");
    expect(help).toContain("docker exec -it node2 sh");
    expect(lab.run("greet lab").stdout).toBe("hello lab\n");
  });
});
