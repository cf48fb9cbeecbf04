// BusyBox ping in the alpine and busybox images, as students use it: Docker's swarm tutorial
// (`docker service create --name helloworld alpine ping docker.com`), a service pinging another
// by name on an overlay network, and Ctrl-C. The replies are the engine's ICMP echo: the
// container's own addresses, a VIP (held by the container itself), machines the network
// reaches; the lab has no internet, so docker.com is BusyBox's "bad address".
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";

function lab() {
  const l = new Lab({ seed: 3, services: true });
  expect(l.run("docker swarm init").exitCode).toBe(0);
  return l;
}

function run(l: Lab, line: string) {
  const r = l.run(line);
  return { code: r.exitCode, out: r.stdout, err: r.stderr };
}

const REPLY = /^64 bytes from (\S+): seq=(\d+) ttl=64 time=(\d+\.\d{3}) ms$/;

describe("ping in a container", () => {
  it("the swarm tutorial's helloworld: no internet here, so BusyBox's bad address and a failing task", () => {
    const l = lab();
    run(l, "docker service create -d --replicas 1 --name helloworld alpine ping docker.com");
    run(l, "sleep 20");
    // BusyBox writes its complaint to stderr, which `docker service logs` keeps apart.
    const logs = run(l, "docker service logs --raw helloworld").err.trim().split("\n");
    expect(logs.length).toBeGreaterThan(1);
    for (const line of logs) expect(line).toBe("ping: bad address 'docker.com'");
    const errors = run(l, "docker service ps helloworld --format '{{.Error}}'").out;
    expect(errors).toContain("task: non-zero exit (1)");
  });

  it("a service pings another by name (its VIP, answered locally) and by tasks.NAME", () => {
    const l = lab();
    for (const line of [
      "docker network create -d overlay net",
      "docker service create --name web --network net nginx",
      "docker service create -d --name vip --network net alpine ping -c 3 web",
      "docker service create -d --name rr --network net --restart-condition none alpine ping -c 2 tasks.web",
    ])
      expect(run(l, line).code, line).toBe(0);
    run(l, "sleep 10");
    const vip = run(
      l,
      "docker service inspect --format '{{range .Endpoint.VirtualIPs}}{{.Addr}}{{end}}' web",
    ).out;
    const vipAddress = vip.trim().split("/")[0];
    const lines = run(l, "docker service logs --raw vip").out.split("\n");
    expect(lines[0]).toBe(`PING web (${vipAddress}): 56 data bytes`);
    const replies = lines.filter((x) => REPLY.test(x));
    expect(replies.slice(0, 3).map((x) => REPLY.exec(x)![2])).toEqual(["0", "1", "2"]);
    for (const r of replies) expect(Number(REPLY.exec(r)![3])).toBeLessThan(0.1);
    expect(lines).toContain("3 packets transmitted, 3 packets received, 0% packet loss");

    const rr = run(l, "docker service logs --raw rr").out;
    expect(rr).toMatch(/^PING tasks\.web \(10\.\d+\.\d+\.\d+\): 56 data bytes\n/);
    // tasks.web answers with the task's own address, not the VIP.
    expect(rr).not.toContain(`(${vipAddress})`);
    expect(rr).toContain("2 packets transmitted, 2 packets received, 0% packet loss");
    // A ping that ends with replies exits 0: the task completes.
    expect(run(l, "docker service ps rr --format '{{.CurrentState}}'").out).toMatch(/^Complete/);
  });

  it("replies stop when the network cuts the peer off; the statistics say so and the status is 1", () => {
    const l = lab();
    run(l, "docker run -d --privileged --name node2 docker:dind");
    const ok = run(l, "docker run --rm alpine ping -c 2 node2");
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("2 packets transmitted, 2 packets received, 0% packet loss");
    run(l, "partition node2");
    const cut = run(l, "docker run --rm alpine ping -c 2 node2");
    expect(cut.code).toBe(1);
    expect(cut.out).not.toMatch(/64 bytes/);
    expect(cut.out).toContain("2 packets transmitted, 0 packets received, 100% packet loss");
  });

  it("localhost is 127.0.0.1; Ctrl-C (SIGINT) prints the statistics, SIGTERM is ignored as PID 1", () => {
    const l = lab();
    const local = run(l, "docker run --rm busybox ping -c 1 localhost");
    expect(local.out.split("\n")[0]).toBe("PING localhost (127.0.0.1): 56 data bytes");
    expect(local.code).toBe(0);

    run(l, "docker run -d --name pinger alpine ping 127.0.0.1");
    run(l, "sleep 3");
    run(l, "docker kill -s SIGINT pinger");
    const logs = run(l, "docker logs pinger").out;
    expect(logs).toContain("--- 127.0.0.1 ping statistics ---");
    expect(run(l, "docker ps -a --filter name=pinger --format '{{.Status}}'").out).toMatch(/^Exited \(0\)/);

    run(l, "docker run -d --name stubborn alpine ping 127.0.0.1");
    run(l, "docker stop stubborn");
    expect(run(l, "docker ps -a --filter name=stubborn --format '{{.Status}}'").out).toMatch(
      /^Exited \(137\)/,
    );
  });

  it("BusyBox's own complaints for bad options", () => {
    const l = lab();
    const r = run(l, "docker run --rm alpine ping -c 0 web");
    expect(r.code).toBe(1);
    expect(r.err.endsWith("ping: invalid number '0'\n")).toBe(true);
    expect(run(l, "docker run --rm alpine ping").err).toContain("Usage: ping [OPTIONS] HOST");
  });
});
