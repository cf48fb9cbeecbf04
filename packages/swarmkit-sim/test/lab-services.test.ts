// Swarm services in the lab (opt-in): `docker service create` on a swarm of docker:dind nodes
// puts task containers on the nodes' engines, where the nodes' own `docker ps` shows them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";

describe("services in the lab", () => {
  it("docker service create runs replicas as containers on the nodes' engines", () => {
    const lab = new Lab({ seed: "services", services: true });
    lab.registerImage({
      name: "lab/web",
      command: ["serve"],
      exposedPorts: [80],
      create: () => ({ start: (ctx) => ctx.log("serving") }),
    });
    const r = lab.runScript(
      readFileSync(join(import.meta.dirname, "testdata", "services-three-nodes.lab"), "utf8"),
    );
    expect(r.failures).toEqual([]);
    expect(lab.run("docker service ls").stdout).toMatch(/\sweb\s+replicated\s+3\/3\s+lab\/web/);
    const tasks = ["node1", "node2", "node3"].map((n) =>
      n === "node1"
        ? lab.run("docker ps --format '{{.Names}}' --filter name=web.").stdout
        : lab.run(`docker exec ${n} docker ps --format '{{.Names}}'`).stdout,
    );
    expect(tasks.join("").match(/^web\.\d\.[0-9a-z]{25}$/gm)).toHaveLength(3);
  });
});

describe("docker stack rm in the lab", () => {
  it("removes the stack's overlay network from the nodes' engines with its last task", () => {
    const lab = new Lab({ seed: "stack-rm", services: true });
    const setup = [
      "docker swarm init",
      "TOKEN=$(docker swarm join-token -q worker)",
      "docker run -d --privileged --name node2 docker:dind",
      "docker exec node2 docker swarm join --token $TOKEN 192.168.1.10:2377",
      "docker run -d --privileged --name node3 docker:dind",
      "docker exec node3 docker swarm join --token $TOKEN 192.168.1.10:2377",
    ];
    expect(lab.runScript(setup.join("\n")).failures).toEqual([]);
    lab.addFiles({
      "app/stack.yml": "services:\n  web:\n    image: nginx\n    deploy:\n      replicas: 3\n",
    });
    lab.run("cd app");
    expect(lab.run("docker stack deploy -c stack.yml app").exitCode).toBe(0);
    lab.run("sleep 20");
    const names = (line: string) => lab.run(line).stdout.trim().split("\n");
    expect(names("docker network ls --format '{{.Name}} {{.Scope}}'")).toContain("app_default swarm");
    expect(names("docker exec node2 docker network ls --format '{{.Name}}'")).toContain("app_default");

    expect(lab.run("docker stack rm app").stdout).toBe(
      "Removing service app_web\nRemoving network app_default\n",
    );
    lab.run("sleep 20");
    expect(names("docker ps -a --format '{{.Names}}' --filter name=app_")).toEqual([""]);
    expect(names("docker network ls --format '{{.Name}}'")).not.toContain("app_default");
    for (const node of ["node2", "node3"])
      expect(names(`docker exec ${node} docker network ls --format '{{.Name}}'`)).not.toContain(
        "app_default",
      );
    // The ingress network stays: Docker keeps it on every node of the swarm.
    expect(names("docker network ls --format '{{.Name}}'")).toContain("ingress");
  });
});

describe("docker swarm leave in the lab", () => {
  it("removes the node's task containers, running or exited, and keeps the others", () => {
    const lab = new Lab({ seed: "leave-cleanup", services: true });
    const r = lab.runScript(
      [
        "docker swarm init",
        "TOKEN=$(docker swarm join-token -q worker)",
        "docker run -d --privileged --name node2 docker:dind",
        "docker exec node2 docker swarm join --token $TOKEN 192.168.1.10:2377",
        "docker service create -d --name web --replicas 2 --constraint node.role==worker nginx",
        "docker service create -d --name once --restart-condition none --constraint node.role==worker alpine true",
        "docker exec node2 docker run -d --name mine nginx",
        "sleep 20",
      ].join("\n"),
    );
    expect(r.failures).toEqual([]);
    const onNode2 = () =>
      lab
        .run("docker exec node2 docker ps -a --format '{{.Names}} {{.State}}'")
        .stdout.split("\n")
        .filter(Boolean)
        .map((l) => l.replace(/\.[0-9a-z]{25} /, " "))
        .sort();
    expect(onNode2()).toEqual(["mine running", "once.1 exited", "web.1 running", "web.2 running"]);
    expect(lab.run("docker exec node2 docker swarm leave").exitCode).toBe(0);
    expect(onNode2()).toEqual(["mine running"]);
  });
});

describe("docker service scale in the lab", () => {
  it("reports each failure as 'SERVICE: error' and scales the others", () => {
    const lab = new Lab({ seed: "scale-errors", services: true });
    lab.run("docker swarm init");
    lab.run("docker service create -d --name g --mode global nginx");
    lab.run("docker service create -d --name web nginx");
    const r = lab.run("docker service scale -d nosuch=2 g=3 web=2");
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("web scaled to 2\n");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^nosuch: Error response from daemon: .*service nosuch not found$/);
    expect(lines[1]).toBe("g: scale can only be used with replicated or replicated-job mode");
  });
});
