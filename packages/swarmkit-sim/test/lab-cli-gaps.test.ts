// Smaller CLI gaps a new user meets, each as Docker's CLI behaves: service inspect --pretty,
// network inspect on the engine's networks (and the swarm's), and network ls listing a local
// and a swarm network of the same name.
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";

describe("docker service inspect --pretty", () => {
  it("prints the CLI's human-friendly text, tabs and all", () => {
    const l = new Lab({ seed: "pretty", services: true });
    l.run("docker swarm init");
    l.run("docker service create --name web -p 8080:80 --replicas 2 nginx");
    const id = l.run("docker service inspect -f '{{.ID}}' web").stdout.trim();
    const r = l.run("docker service inspect --pretty web");
    expect(r.stdout).toBe(
      `\nID:\t\t${id}\nName:\t\tweb\nService Mode:\tReplicated\n Replicas:\t2\nPlacement:\n` +
        "UpdateConfig:\n Parallelism:\t1\n On failure:\tpause\n Monitoring Period: 5s\n Max failure ratio: 0\n Update order:      stop-first\n" +
        "RollbackConfig:\n Parallelism:\t1\n On failure:\tpause\n Monitoring Period: 5s\n Max failure ratio: 0\n Rollback order:    stop-first\n" +
        "ContainerSpec:\n Image:\t\tnginx:latest\nResources:\nEndpoint Mode:\tvip\n" +
        "Ports:\n PublishedPort = 8080\n  Protocol = tcp\n  TargetPort = 80\n  PublishMode = ingress \n",
    );
    expect(l.run("docker service inspect --pretty nope")).toMatchObject({
      exitCode: 1,
      stderr: "Error: no such service: nope\n",
    });
  });
});

describe("docker network inspect and ls", () => {
  it("inspects the engine's networks with their endpoints, and the swarm's", () => {
    const l = new Lab({ seed: "nets", services: true });
    l.run("docker run -d --privileged --name node2 docker:dind");
    const bridge = JSON.parse(l.run("docker network inspect bridge").stdout)[0];
    expect(bridge).toMatchObject({
      Name: "bridge",
      Driver: "bridge",
      Scope: "local",
      IPAM: { Config: [{ Subnet: "172.17.0.0/16", Gateway: "172.17.0.1" }] },
      Options: { "com.docker.network.bridge.name": "docker0" },
    });
    expect(Object.values(bridge.Containers)).toEqual([
      expect.objectContaining({
        Name: "node2",
        IPv4Address: "172.17.0.2/16",
        MacAddress: "02:42:ac:11:00:02",
      }),
    ]);
    expect(l.run("docker network inspect -f '{{.Driver}}' host none").stdout).toBe("host\nnull\n");
    l.run("docker swarm init");
    expect(l.run("docker network inspect -f '{{.Scope}} {{.Ingress}}' ingress").stdout).toBe("swarm true\n");
    expect(l.run("docker network inspect nope")).toMatchObject({
      exitCode: 1,
      stdout: "[]\n",
      stderr: "Error response from daemon: network nope not found\n",
    });
  });

  it("lists a compose network and a stack network of the same name, both", () => {
    const l = new Lab({ seed: "same-name", services: true });
    l.run("docker swarm init");
    l.run("docker network create app_default");
    l.run("docker network create -d overlay app_default");
    const ls = l.run("docker network ls --format '{{.Name}} {{.Driver}} {{.Scope}}'").stdout;
    expect(ls).toContain("app_default bridge local\n");
    expect(ls).toContain("app_default overlay swarm\n");
  });
});
