// `--publish mode=host`: a task's container binds the port on its own node (moby's
// containerConfig.portBindings), the agent reports what it bound (SwarmKit's PortStatus, the
// PORTS column of `docker service ps`), the scheduler keeps two tasks off one node's port
// (HostPortFilter), and a port some other container holds fails the start with the daemon's
// words, wrapped as moby's controller wraps them ("starting container failed: ...").
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";

function lab() {
  const l = new Lab({ seed: 7, services: true });
  expect(l.run("docker swarm init").exitCode).toBe(0);
  return l;
}

function run(l: Lab, line: string) {
  const r = l.run(line);
  return { code: r.exitCode, out: r.stdout, err: r.stderr };
}

describe("host-mode published ports", () => {
  it("the task's container publishes the port on its node, and service ps shows it", () => {
    const l = lab();
    expect(
      run(l, "docker service create --name h --publish mode=host,published=8080,target=80 nginx").code,
    ).toBe(0);
    expect(run(l, "docker service ps h --format '{{.Ports}}'").out).toBe("*:8080->80/tcp\n");
    expect(run(l, "docker ps --filter name=h.1 --format '{{.Ports}}'").out).toBe(
      "0.0.0.0:8080->80/tcp, [::]:8080->80/tcp\n",
    );
    expect(run(l, "curl -s localhost:8080").out).toContain("Welcome to nginx!");
    // The service's own port list is the ingress one: host-mode ports are not in it.
    expect(run(l, "docker service ls --format '{{.Ports}}'").out).toBe("\n");
    run(l, "docker service rm h");
    run(l, "sleep 2");
    expect(run(l, "curl -s localhost:8080").code).toBe(7);
  });

  it("a second task for the same port on a one-node swarm stays pending (HostPortFilter)", () => {
    const l = lab();
    run(
      l,
      "docker service create -d --name h2 --replicas 2 --publish mode=host,published=9090,target=80 nginx",
    );
    run(l, "sleep 3");
    const rows = run(l, "docker service ps h2 --no-trunc --format '{{.CurrentState}}|{{.Error}}|{{.Ports}}'")
      .out.trim()
      .split("\n")
      .sort();
    expect(rows[0]).toMatch(/^Pending .*\|"no suitable node \(host-mode port already in use on 1 node\)"\|$/);
    expect(rows[1]).toMatch(/^Running .*\|\|\*:9090->80\/tcp$/);
  });

  it("no published port: the engine picks a free one, and the status says which", () => {
    const l = lab();
    run(l, "docker service create --name dyn --publish mode=host,target=80 nginx");
    const ports = run(l, "docker service ps dyn --format '{{.Ports}}'").out.trim();
    const m = /^\*:(\d+)->80\/tcp$/.exec(ports);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(32768);
    expect(run(l, `curl -s localhost:${m![1]}`).out).toContain("Welcome to nginx!");
  });

  it("a port another container holds fails the start, with the daemon's error wrapped by the executor", () => {
    const l = lab();
    run(l, "docker run -d -p 7070:80 --name squat nginx");
    run(l, "docker service create -d --name h3 --publish mode=host,published=7070,target=80 nginx");
    run(l, "sleep 3");
    const errors = run(l, "docker service ps h3 --no-trunc --format '{{.Error}}'").out;
    expect(errors).toMatch(
      /"starting container failed: driver failed programming external connectivity on endpoint h3\.1\.\w+ \(\w+\): Bind for 0\.0\.0\.0:7070 failed: port is already allocated"/,
    );
  });
});
