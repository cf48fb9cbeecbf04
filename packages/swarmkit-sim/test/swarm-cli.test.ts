// The swarm and node commands through the real CLI facade (shell parser, docker grammar,
// dispatcher): the lecture's lines verbatim, pipes into grep, and bad input that must give a
// Docker-like error (never a stack trace) and leave the swarm as it was.
import { describe, expect, it } from "vitest";
import { DockerCli } from "../src/cli/dispatch";
import { captured } from "../src/cli/io";
import { registerSwarmCommands } from "../src/docker/register";
import { Sim } from "../src/kernel/sim";
import { runJob } from "../src/lab/host-loop";
import type { SwarmNode } from "../src/node/swarm-node";
import { attachSwarmNode } from "../src/swarm/attach";

function setup() {
  const sim = new Sim({ seed: "cli" });
  const nodes = new Map<string, SwarmNode>();
  for (const [name, address] of [
    ["node1", "172.17.0.2"],
    ["node2", "172.17.0.3"],
  ]) {
    nodes.set(name, attachSwarmNode(sim, sim.addMachine(name, { interfaces: [{ name: "eth0", address }] })));
  }
  const cli = new DockerCli<{ node: string }>();
  registerSwarmCommands(cli, (io) => {
    const swarm = nodes.get(io.context.node)!;
    return { sim, machine: swarm.machine, swarm };
  });
  // The test is the host: it drives each line's job on the simulation's clock.
  const on = (node: string, line: string) =>
    runJob(
      sim,
      captured((sink) => cli.lineJob(line, { node }, sink)),
    );
  return { sim, cli, nodes, on };
}

describe("swarm commands through the CLI", () => {
  it("runs the lecture's lines verbatim, with pipes", () => {
    const { on, nodes } = setup();
    const init = on("node1", "docker swarm init --advertise-addr eth0:7777 --listen-addr eth0:7777");
    expect(init.stderr).toBe("");
    expect(init.stdout).toMatch(/^Swarm initialized: current node \([0-9a-z]{25}\) is now a manager\./);
    expect(on("node1", "docker info | grep Swarm").stdout).toBe(" Swarm: active\n");
    const token = on("node1", "docker swarm join-token -q worker").stdout.trim();
    expect(token).toBe(nodes.get("node1")!.manager!.store.cluster()!.rootCA.joinTokens.worker);
    const join = on("node2", `docker swarm join --token ${token} 172.17.0.2:7777`);
    expect(join.stdout).toBe("This node joined a swarm as a worker.\n");
    const ls = on("node1", "docker node ls | grep -c Ready");
    expect(ls.stdout.trim()).toBe("2");
    expect(on("node2", "docker node ls").stderr).toContain(
      "Worker nodes can't be used to view or modify cluster state.",
    );
  });

  it("answers bad input with Docker's usage errors and keeps the swarm's state", () => {
    const { on, nodes } = setup();
    on("node1", "docker swarm init");
    const id = nodes.get("node1")!.nodeId;
    const cases = [
      "docker swarm init --bogus",
      "docker swarm join",
      "docker swarm join-token",
      "docker swarm join-token foo",
      "docker node promote",
      "docker node rm",
      "docker node update --availability sideways node1",
      "docker node inspect nosuchnode",
      "docker swarm frobnicate",
      "docker swarm init",
      "docker swarm join --token SWMTKN-1-nope 172.17.0.2:2377",
      "docker swarm leave",
      "docker swarm unlock",
    ];
    for (const line of cases) {
      const r = on("node1", line);
      expect(r.exitCode, line).not.toBe(0);
      expect(r.stderr, line).not.toMatch(/\n\s+at /); // no stack trace
      expect(r.stderr.length, line).toBeGreaterThan(0);
    }
    expect(on("node1", "docker swarm join").stderr).toMatch(/requires (exactly )?1 argument/);
    expect(on("node1", "docker swarm join-token foo").stderr).toBe("unknown role foo\n");
    expect(on("node1", "docker swarm init").stderr).toBe(
      'Error response from daemon: This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.\n',
    );
    expect(on("node1", "docker node inspect nosuchnode").stderr).toBe(
      "Error response from daemon: node nosuchnode not found\n",
    );
    // Nothing changed.
    expect(nodes.get("node1")!.nodeId).toBe(id);
    expect(on("node1", "docker node ls -q").stdout).toBe(`${id}\n`);
  });

  it("explains why an advertise address cannot be chosen", () => {
    const sim = new Sim({ seed: 1 });
    const m = sim.addMachine("multi", {
      interfaces: [
        { name: "eth0", address: "10.0.0.2" },
        { name: "eth1", address: "192.168.1.5" },
      ],
    });
    const swarm = attachSwarmNode(sim, m);
    const cli = new DockerCli<null>();
    registerSwarmCommands(cli, () => ({ sim, machine: m, swarm }));
    const run = (line: string) =>
      runJob(
        sim,
        captured((sink) => cli.lineJob(line, null, sink)),
      );
    // Refused before it waits for anything: the synchronous form runs it.
    expect(cli.run("docker swarm init", null).stderr).toBe(
      "Error response from daemon: could not choose an IP address to advertise since this system has multiple addresses on different interfaces (10.0.0.2 on eth0 and 192.168.1.5 on eth1) - specify one with --advertise-addr\n",
    );
    expect(run("docker swarm init --advertise-addr eth1").exitCode).toBe(0);
    expect(swarm.advertiseAddr).toBe("192.168.1.5:2377");
  });
});

describe("docker node ps", () => {
  it("lists the tasks of a node from the store", () => {
    const { on, nodes, sim } = setup();
    on("node1", "docker swarm init");
    const n1 = nodes.get("node1")!;
    const m = n1.manager!;
    const now = sim.now();
    let done = false;
    const spec = {
      container: { image: "dockercoins/worker:v0.1@sha256:abc", env: [], stopGracePeriodMs: 10_000 },
      resources: { reservations: { nanoCPUs: 0, memoryBytes: 0 }, limits: { nanoCPUs: 0, memoryBytes: 0 } },
      restartPolicy: { condition: "any", delayMs: 5000, maxAttempts: 0, windowMs: 0 },
      placement: { constraints: [], preferences: [], maxReplicas: 0 },
      networks: [],
      forceUpdate: 0,
    } as const;
    m.proposer.propose(
      [
        {
          op: "create",
          type: "task",
          object: {
            id: "t0000000000000000000000001",
            serviceId: "s1",
            serviceName: "worker",
            slot: 1,
            nodeId: n1.nodeId,
            spec: structuredClone(spec),
            specVersion: 1,
            desiredState: 512,
            status: { state: 512, timestamp: now, message: "started" },
            networks: [],
            version: 0,
            createdAt: now,
            updatedAt: now,
          } as never,
        },
      ],
      (err) => {
        if (err) throw err;
        done = true;
      },
    );
    sim.runUntil(() => done, 10_000);
    sim.runFor(8000);
    const r = on("node1", "docker node ps");
    expect(r.stderr).toBe("");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+NAME\s+IMAGE\s+NODE\s+DESIRED STATE\s+CURRENT STATE\s+ERROR\s+PORTS$/);
    expect(lines[1]).toMatch(
      /^t00000000000\s+worker\.1\s+dockercoins\/worker:v0\.1\s+node1\s+Running\s+Running 8 seconds ago\s*$/,
    );
  });
});
