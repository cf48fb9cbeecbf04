// What the lab's machines have besides Docker: BusyBox ping and wget (node1 and the dind
// nodes), curl on node1 only, and node1's engine as a systemd service (sudo systemctl stop
// docker stops it and every container it runs, the dind nodes too).
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";

function lab(): Lab {
  const l = new Lab({ seed: "tools", services: true });
  expect(l.run("docker run -d --privileged --name node2 docker:dind").exitCode).toBe(0);
  return l;
}

describe("ping, wget and curl", () => {
  it("ping answers with BusyBox's lines; a partition makes it lose every packet", () => {
    const l = lab();
    const r = l.run("ping -c 2 node2");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      /^PING node2 \(172\.17\.0\.2\): 56 data bytes\n64 bytes from 172\.17\.0\.2: seq=0 ttl=64 time=\d+\.\d{3} ms\n/,
    );
    expect(r.stdout).toContain("2 packets transmitted, 2 packets received, 0% packet loss\n");
    expect(l.run("docker exec node2 ping -c 1 node1").stdout).toContain("64 bytes from 192.168.1.10: seq=0");
    expect(l.run("ping -c 1 nowhere")).toMatchObject({
      exitCode: 1,
      stderr: "ping: bad address 'nowhere'\n",
    });
    l.run("partition node1 node2");
    const cut = l.run("ping -c 2 node2");
    expect(cut.exitCode).toBe(1);
    expect(cut.stdout).toContain("2 packets transmitted, 0 packets received, 100% packet loss\n");
  });

  it("wget and curl reach a published port; refused and unknown hosts get the tools' errors", () => {
    const l = lab();
    l.run("docker swarm init");
    l.run("docker service create --name web -p 8080:80 nginx");
    expect(l.run("curl -s localhost:8080").stdout).toContain("<title>Welcome to nginx!</title>");
    expect(l.run("docker exec node2 wget -qO- 192.168.1.10:8080").stdout).toContain("Welcome to nginx!");
    expect(l.run("wget -q localhost:8081")).toMatchObject({
      exitCode: 1,
      stderr: "wget: can't connect to remote host (127.0.0.1): Connection refused\n",
    });
    expect(l.run("curl localhost:8081").stderr).toBe(
      "curl: (7) Failed to connect to localhost port 8081 after 0 ms: Couldn't connect to server\n",
    );
    expect(l.run("curl nowhere").stderr).toBe("curl: (6) Could not resolve host: nowhere\n");
    expect(l.run("docker exec node2 curl localhost")).toMatchObject({ exitCode: 126 });
  });
});

describe("node1's engine as a service", () => {
  it("sudo systemctl stop docker stops the engine and its dind nodes; start brings the engine back", () => {
    const l = lab();
    l.run("docker swarm init");
    expect(l.run("systemctl stop docker").stderr).toContain("Interactive authentication required.");
    expect(l.run("sudo systemctl stop docker").exitCode).toBe(0);
    expect(l.run("docker ps").stderr).toBe(
      "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n",
    );
    expect(l.run("systemctl status docker").stdout).toContain("Active: inactive (dead)");
    expect(l.run("sudo service docker start").exitCode).toBe(0);
    l.run("sleep 5");
    expect(l.run("docker ps -a --format '{{.Names}} {{.Status}}'").stdout).toMatch(/node2 Exited \(0\)/);
    expect(l.run("docker node ls").stdout).toMatch(/node1\s+Ready\s+Active\s+Leader/);
  });

  it("dockerd keeps its containers across a restart; those with a restart policy come back up", () => {
    const l = lab();
    for (const line of [
      "docker run -d --privileged --restart always --name node3 docker:dind",
      "docker run -d --name plain nginx",
      "docker run -d --restart unless-stopped --name kept nginx",
      "docker run -d --restart unless-stopped --name stopped nginx",
      "docker run -d --restart always --name always nginx",
      "docker stop stopped",
    ])
      expect(l.run(line).exitCode).toBe(0);
    expect(l.run("sudo systemctl restart docker").exitCode).toBe(0);
    const status = Object.fromEntries(
      l
        .run("docker ps -a --format '{{.Names}} {{.Status}}'")
        .stdout.trim()
        .split("\n")
        .map((row) => [row.slice(0, row.indexOf(" ")), row.slice(row.indexOf(" ") + 1)]),
    );
    expect(Object.keys(status).sort()).toEqual(["always", "kept", "node2", "node3", "plain", "stopped"]);
    for (const up of ["node3", "kept", "always"]) expect(status[up]).toMatch(/^Up /);
    for (const down of ["node2", "plain", "stopped"]) expect(status[down]).toMatch(/^Exited \(\d+\) /);
    expect(l.run("docker exec node3 hostname").stdout).toBe("node3\n");
  });

  it("a dind node's log ends with dockerd's shutdown lines after a clean stop (and goes on after a start)", () => {
    const l = lab();
    l.run("docker run -d --privileged --name node3 docker:dind");
    l.run("sudo systemctl stop docker");
    l.run("sudo systemctl start docker");
    const log = l.run("docker logs node2").stderr.trimEnd().split("\n");
    expect(log.slice(-4).map((line) => /msg="([^"]*)"/.exec(line)?.[1])).toEqual([
      "Processing signal 'terminated'",
      "stopping event stream following graceful shutdown",
      "Daemon shutdown complete",
      "stopping event stream following graceful shutdown",
    ]);
    l.run("docker start node2");
    l.run("docker kill -s INT node2");
    l.run("sleep 3");
    const again = l.run("docker logs --tail 4 node2").stderr;
    expect(again).toContain(`msg="Processing signal 'interrupt'"`);
    expect(again).toContain(`msg="Daemon shutdown complete"`);
    // A kill (SIGKILL) leaves no time for any of it.
    l.run("docker start node3");
    l.run("docker kill node3");
    expect(l.run("docker logs --tail 1 node3").stderr).toContain(`msg="API listen on [::]:2376"`);
  });

  it("docker run --restart: the CLI's and the daemon's errors", () => {
    const l = lab();
    const err = (policy: string) => l.run(`docker run -d --restart ${policy} nginx`).stderr.split("\n")[0];
    expect(err("on-failure:x")).toBe(
      "docker: invalid restart policy format: maximum retry count must be an integer.",
    );
    expect(err(":3")).toBe("docker: invalid restart policy format: no policy provided before colon.");
    expect(err("always:3")).toBe(
      "docker: Error response from daemon: invalid restart policy: maximum retry count can only be used with 'on-failure'.",
    );
    expect(err("sometimes")).toBe(
      "docker: Error response from daemon: invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'.",
    );
  });

  it("docker run --rm --restart is refused by the CLI, before any name is checked", () => {
    const l = lab();
    const r = l.run("docker run --rm --restart always --name x nginx");
    expect(r.stderr).toBe("docker: Conflicting options: --restart and --rm.\nSee 'docker run --help'.\n");
    expect(r.exitCode).toBe(125);
    expect(l.run("docker run --rm --restart no busybox true").exitCode).toBe(0);
  });

  it("a container that exits while dockerd runs comes back as its policy says (Restarting in between)", () => {
    const l = lab();
    const ok = (line: string) => expect(l.run(line).exitCode).toBe(0);
    ok("docker run -d --restart on-failure:2 --name flaky busybox false");
    ok("docker run -d --restart always --name app busybox sh -c 'exit 3'");
    ok("docker run -d --restart on-failure --name done busybox sh -c 'echo hi && exit 0'");
    ok("docker run -d --restart always --name slow busybox sh -c 'sleep 30; exit 1'");
    // app exits at once, every time: back after 0.1 s, 0.2 s, 0.4 s ... 6.4 s.
    l.run("sleep 10");
    const status = (name: string) =>
      l.run(`docker ps -a --filter name=^/${name}$ --format '{{.Status}}'`).stdout;
    expect(status("app")).toMatch(/^Restarting \(3\) (1 second|\d seconds) ago\n$/);
    expect(l.run("docker ps --format '{{.Names}}'").stdout.split("\n").sort()).toContain("app");
    expect(l.run("docker rm app").stderr).toBe(
      'Error response from daemon: cannot remove container "/app": container is restarting: stop the container before removing or force remove\n',
    );
    expect(status("flaky")).toMatch(/^Exited \(1\) /); // restarted twice, then left
    expect(status("done")).toMatch(/^Exited \(0\) /);
    expect(l.run("docker logs done").stdout).toBe("hi\n");
    ok("docker stop app");
    expect(status("app")).toMatch(/^Exited \(3\) /);
    l.run("sleep 25");
    // Created more than 35 s ago; its first run ended at 30 s and it was back 0.1 s later.
    const up = /^Up (\d+) seconds\n$/.exec(status("slow"));
    expect(Number(up?.[1])).toBeLessThan(30);
    l.run("sleep 60");
    expect(status("app")).toMatch(/^Exited \(3\) About a minute ago/); // stopped for good
  });

  it("busybox's own errors go to the container's stderr, its echo to stdout, and && stops at a failure", () => {
    const l = lab();
    l.run("docker run -d --name s1 busybox sh -c 'echo up && nosuch && echo never'");
    l.run("docker run -d --name s2 busybox sleep soon");
    l.run("sleep 1");
    const logs = (name: string) => {
      const r = l.run(`docker logs ${name}`);
      return { out: r.stdout, err: r.stderr };
    };
    expect(logs("s1")).toEqual({ out: "up\n", err: "sh: nosuch: not found\n" });
    expect(logs("s2")).toEqual({ out: "", err: "sleep: invalid number 'soon'\n" });
    const status = (name: string) =>
      l.run(`docker ps -a --filter name=^/${name}$ --format '{{.Status}}'`).stdout;
    expect(status("s1")).toMatch(/^Exited \(127\) /);
    expect(status("s2")).toMatch(/^Exited \(1\) /);
  });

  it("docker stop node1 says how to crash node1's engine and how to watch a re-election", () => {
    const l = lab();
    const r = l.run("docker stop node1");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Error response from daemon: No such container: node1\n");
    expect(r.stderr).toContain("sudo systemctl stop docker");
    expect(r.stderr).toContain("docker node demote node1");
  });
});

describe("docker port, docker compose port, node1's size", () => {
  it("docker port lists a container's published ports; compose port one service's; errors as the CLIs", () => {
    const l = new Lab({ seed: "ports" });
    l.run("docker run -d --name web -p 8080:80 nginx");
    expect(l.run("docker port web").stdout).toBe("80/tcp -> 0.0.0.0:8080\n80/tcp -> [::]:8080\n");
    expect(l.run("docker port web 80").stdout).toBe("0.0.0.0:8080\n[::]:8080\n");
    expect(l.run("docker port web 81")).toMatchObject({
      exitCode: 1,
      stderr: "Error: No public port '81/tcp' published for web\n",
    });
    expect(l.run("docker port nope").stderr).toBe("Error: No such container: nope\n");
    l.node1.files.writeFile(
      "/home/docker/app/compose.yaml",
      'services:\n  web:\n    image: nginx\n    ports:\n      - "8000:80"\n',
    );
    l.run("cd app");
    l.run("docker compose up -d");
    expect(l.run("docker compose port web 80").stdout).toBe("0.0.0.0:8000\n");
    expect(l.run("docker compose port web 81")).toMatchObject({ exitCode: 1 });
  });

  it("docker info reports the machine's CPUs and memory, as top does", () => {
    const l = new Lab({ seed: "size" });
    const info = l.run("docker info").stdout;
    const top = l.run("top").stdout;
    expect(info).toContain(" CPUs: 2\n Total Memory: 4GiB\n");
    expect(top).toMatch(/MiB Mem : +4096\.0 total/);
  });
});
