// --format on every command that has one, in the lab: the CLI formatter's columns and headers
// for node ls, node ps, service ls, service ps, stack ls/services/ps, ps and network ls; inspect
// templates over the object inspect prints; json; and errors printed as Docker prints them.
import { beforeAll, describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";

let lab: Lab;
const run = (line: string) => lab.run(line);

beforeAll(() => {
  lab = new Lab({ seed: "format", services: true });
  run("docker swarm init");
  run("docker run -d --privileged --name node2 docker:dind");
  run("docker exec node2 docker swarm join --token $(docker swarm join-token -q worker) 192.168.1.10:2377");
  run("sleep 10");
  run("docker service create --name web --replicas 2 -p 8080:80 nginx");
});

describe("list commands", () => {
  it("node ls: custom templates, table headers, json, -q", () => {
    expect(run("docker node ls --format '{{.Hostname}} {{.Status}} {{.Self}} {{.TLSStatus}}'").stdout).toBe(
      "node1 Ready true Ready\nnode2 Ready false Ready\n",
    );
    expect(
      run("docker node ls --format 'table {{.Hostname}}\\t{{.ManagerStatus}}\\t{{.TLSStatus}}'").stdout,
    ).toBe(
      "HOSTNAME   MANAGER STATUS   TLS STATUS\nnode1      Leader           Ready\nnode2                       Ready\n",
    );
    const json = run("docker node ls --format json")
      .stdout.trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(Object.keys(json[0])).toEqual([
      "Availability",
      "EngineVersion",
      "Hostname",
      "ID",
      "ManagerStatus",
      "Self",
      "Status",
      "TLSStatus",
    ]);
    expect(json[0]).toMatchObject({ Hostname: "node1", Self: true, ManagerStatus: "Leader" });
    expect(run("docker node ls -q").stdout).toBe(`${json[0].ID}\n${json[1].ID}\n`);
  });

  it("service ls and service ps", () => {
    expect(run("docker service ls --format '{{.Name}} {{.Mode}} {{.Replicas}} {{.Ports}}'").stdout).toBe(
      "web replicated 2/2 *:8080->80/tcp\n",
    );
    // json goes through json.Marshal, which escapes ">".
    expect(run("docker service ls --format json").stdout).toContain('"Ports":"*:8080-\\u003e80/tcp"');
    expect(run("docker service ls -q").stdout).toMatch(/^[0-9a-z]{12}\n$/);
    expect(run("docker service ps web --format '{{.Name}} {{.DesiredState}}'").stdout).toBe(
      "web.1 Running\nweb.2 Running\n",
    );
    expect(run("docker service ps web --format 'table {{.Name}}\\t{{.CurrentState}}'").stdout).toMatch(
      /^NAME {6}CURRENT STATE\nweb\.1 {5}Running \d+ seconds ago\nweb\.2 {5}Running \d+ seconds ago\n$/,
    );
    expect(run("docker node ps self --format '{{.Name}}' | sort").stdout).toMatch(/^web\.\d\n/);
  });

  it("ps and network ls", () => {
    expect(run("docker ps --format '{{.Names}}' --filter name=node2").stdout).toBe("node2\n");
    expect(run("docker ps -a --format 'table {{.Names}}\\t{{.Image}}' --filter name=node2").stdout).toBe(
      "NAMES     IMAGE\nnode2     docker:dind\n",
    );
    expect(run("docker network ls --format '{{.Name}}/{{.Driver}}/{{.Scope}}'").stdout).toBe(
      "bridge/bridge/local\nhost/host/local\ningress/overlay/swarm\nnone/null/local\n",
    );
    expect(run("docker network ls --format 'table {{.Name}}\\t{{.Internal}}'").stdout).toMatch(
      /^NAME {6}INTERNAL\nbridge {4}false\n/,
    );
  });

  it("ps -a: a stopped container has no PORTS, a paused one keeps them", () => {
    const lab = new Lab({ seed: "ps-ports" });
    lab.run("docker run -d --privileged --name node2 docker:dind");
    const inNode2 = (line: string) => lab.run(`docker exec node2 ${line}`);
    inNode2("docker run -d --name published -p 8080:80 nginx");
    inNode2("docker run -d --name exposed nginx");
    inNode2("docker run -d --name paused nginx");
    inNode2("docker pause paused");
    const ports = () => inNode2("docker ps -a --format '{{.Names}} [{{.Ports}}]'").stdout;
    expect(ports()).toBe(
      "paused [80/tcp]\nexposed [80/tcp]\npublished [0.0.0.0:8080->80/tcp, [::]:8080->80/tcp]\n",
    );
    inNode2("docker stop published exposed");
    expect(ports()).toBe("paused [80/tcp]\nexposed []\npublished []\n");
    inNode2("docker start exposed");
    expect(ports()).toBe("paused [80/tcp]\nexposed [80/tcp]\npublished []\n");
  });

  it("a template error is printed and the command fails; the lab goes on", () => {
    const bad = run("docker service ls --format '{{.Nope}}'");
    expect(bad).toMatchObject({
      stdout: "",
      stderr:
        'template parsing error: template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type *service.serviceContext\n',
      exitCode: 1,
    });
    expect(run("docker node ls --format '{{.ID'")).toMatchObject({
      stderr: "template parsing error: template: :1: unclosed action\n",
      exitCode: 1,
    });
    expect(run("docker service ls --format '{{.Name}}'").stdout).toBe("web\n");
  });
});

describe("inspect --format", () => {
  it("node inspect: the node as inspect prints it, typed as the CLI decodes it", () => {
    expect(run("docker node inspect self --format '{{.Description.Hostname}} {{.Spec.Role}}'").stdout).toBe(
      "node1 manager\n",
    );
    expect(run("docker node inspect self --format '{{.CreatedAt}}'").stdout).toMatch(
      /^2026-01-01 00:00:\d\d(\.\d+)? \+0000 UTC\n$/,
    );
    // A worker's ManagerStatus is a nil pointer.
    expect(run("docker node inspect node2 --format '{{.ManagerStatus.Leader}}'")).toMatchObject({
      stdout: "\n",
      stderr:
        'template parsing error: template: :1:16: executing "" at <.ManagerStatus.Leader>: nil pointer evaluating *swarm.ManagerStatus.Leader\n',
      exitCode: 1,
    });
    const inspected = JSON.parse(run("docker node inspect self").stdout)[0];
    expect(run("docker node inspect self --format '{{json .Spec}}'").stdout).toBe(
      `${JSON.stringify(inspected.Spec)}\n`,
    );
  });

  it("service inspect: durations print as Go's, JSON in Docker's order", () => {
    expect(
      run(
        "docker service inspect web --format '{{.Spec.Name}} {{.Spec.Mode.Replicated.Replicas}} {{.Spec.TaskTemplate.ContainerSpec.StopGracePeriod}}'",
      ).stdout,
    ).toBe("web 2 10s\n");
    expect(run("docker service inspect web --format '{{json .Endpoint.Ports}}'").stdout).toBe(
      '[{"Protocol":"tcp","TargetPort":80,"PublishedPort":8080,"PublishMode":"ingress"}]\n',
    );
    run("docker service create -d --name labelled --container-label tier=front --hostname h1 nginx");
    expect(
      run("docker service inspect labelled --format '{{json .Spec.TaskTemplate.ContainerSpec}}'").stdout,
    ).toMatch(/^\{"Image":"nginx:latest","Labels":\{"tier":"front"\},"Hostname":"h1",/);
    expect(run("docker service inspect nope --format '{{.ID}}'")).toMatchObject({
      stdout: "\n",
      stderr: "Error: no such service: nope\n",
      exitCode: 1,
    });
  });
});
