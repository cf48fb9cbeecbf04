// `docker ps` and `docker run` output as the Docker CLI prints them, on the lab's real
// containers: the default table, -a, -q, --no-trunc, --format, --filter, and the container ID
// that `docker run -d` prints.
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";

describe("docker ps", () => {
  it("prints Docker's default table, newest first, with the command quoted and cut to 20", () => {
    const lab = new Lab({ seed: "ps" });
    expect(lab.run("docker ps").stdout).toBe(
      "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n",
    );
    const id2 = lab.run("docker run -d --privileged --name node2 docker:dind").stdout.trim();
    lab.run("sleep 60");
    const id3 = lab.run("docker run -d --privileged --name node3 docker:dind").stdout.trim();
    expect(id2).toMatch(/^[0-9a-f]{64}$/);
    const ps = lab.run("docker ps").stdout;
    expect(ps).toBe(
      [
        "CONTAINER ID   IMAGE         COMMAND                  CREATED              STATUS              PORTS           NAMES",
        `${id3.slice(0, 12)}   docker:dind   "dockerd-entrypoint.…"   1 second ago         Up 1 second         2375-2376/tcp   node3`,
        `${id2.slice(0, 12)}   docker:dind   "dockerd-entrypoint.…"   About a minute ago   Up About a minute   2375-2376/tcp   node2`,
        "",
      ].join("\n"),
    );
    expect(lab.run("docker container ls -q").stdout).toBe(`${id3.slice(0, 12)}\n${id2.slice(0, 12)}\n`);
    expect(lab.run("docker ps -q --no-trunc").stdout).toBe(`${id3}\n${id2}\n`);
    expect(lab.run("docker ps --no-trunc").stdout).toContain('"dockerd-entrypoint.sh"');
    lab.run("docker stop node2");
    expect(lab.run("docker ps --format '{{.Names}}'").stdout).toBe("node3\n");
    expect(lab.run("docker ps -a --format '{{.Names}}: {{.Status}}'").stdout).toBe(
      "node3: Up 8 seconds\nnode2: Exited (0) 2 seconds ago\n",
    );
    expect(lab.run("docker ps -a --filter status=exited -q").stdout).toBe(`${id2.slice(0, 12)}\n`);
    expect(lab.run("docker ps -a --filter name=3 --format 'table {{.Names}}\\t{{.State}}'").stdout).toBe(
      "NAMES     STATE\nnode3     running\n",
    );
  });

  it("keeps a service's old task containers, exited, until the task reaper deletes their tasks", () => {
    const lab = new Lab({ seed: "ps-tasks", services: true });
    for (const line of [
      "docker swarm init",
      "docker service create --name web --replicas 1 --update-order stop-first nginx",
      "sleep 5",
    ])
      expect(lab.run(line).exitCode).toBe(0);
    const rows = () => lab.run("docker ps -a --format '{{.Names}} {{.State}}'").stdout.trim().split("\n");
    // Six updates: the slot keeps five tasks (the cluster's task history retention), so the
    // node keeps the running container and the four newest exited ones.
    for (let i = 0; i < 6; i++) {
      expect(lab.run("docker service update --force --detach web").exitCode).toBe(0);
      lab.run("sleep 10");
    }
    const states = rows().map((r) => r.split(" ")[1]);
    expect(states).toEqual(["running", "exited", "exited", "exited", "exited"]);
    expect(rows().every((r) => r.startsWith("web.1."))).toBe(true);
    expect(lab.run("docker service rm web").exitCode).toBe(0);
    lab.run("sleep 10");
    expect(lab.run("docker ps -a -q").stdout).toBe("");
  });
});

describe("PORTS of a container on the host network", () => {
  it("is empty: it has no port map, so its image's exposed ports are not listed", () => {
    const lab = new Lab({ seed: "ps-host", services: true });
    lab.run("docker run -d --network host --name hostnet nginx");
    lab.run("docker run -d --name bridged nginx");
    const ports = lab.run("docker ps --format '{{.Names}} [{{.Ports}}]'").stdout;
    expect(ports).toContain("hostnet []\n");
    expect(ports).toContain("bridged [80/tcp]\n");
  });
});
