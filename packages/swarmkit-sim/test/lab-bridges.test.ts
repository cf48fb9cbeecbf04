// Bridges local to each engine: every docker:dind node's engine has its own docker0 (node1's is
// 172.17.0.0/16, and a dind node, whose eth0 sits on it, takes 172.18.0.0/16 as dockerd skips
// its routes), holding the same addresses on every node without clashing; traffic between
// engines goes through the machines' own addresses (published ports, masquerading).
import { describe, expect, it } from "vitest";
import { HttpResponse } from "../src/engine/http/message";
import { replyHttp, serveHttp } from "../src/engine/http/server";
import { engineOf, Lab } from "../src/lab/index";

/** `whoami PORT`: answers every request with the address it came from. */
const whoami = {
  name: "lab/whoami",
  command: ["whoami", "80"],
  create: (spec: { command: readonly string[] }) => ({
    start(ctx: import("../src/engine/program").ProgramContext) {
      serveHttp(ctx, Number(spec.command[1]), { kind: "eventLoop" }, (_req, inc) =>
        replyHttp(inc, new HttpResponse(200, inc.clientAddress, "text/plain")),
      );
    },
  }),
};

/** `fetch HOST PORT`: one GET, its answer (or error) in the logs, then exit. */
const fetch = {
  name: "lab/fetch",
  command: ["fetch"],
  create: (spec: { command: readonly string[] }) => ({
    start(ctx: import("../src/engine/program").ProgramContext) {
      ctx.http.get(
        { host: spec.command[1], port: Number(spec.command[2]) },
        "/",
        (err, res) => {
          ctx.log(err ? `error ${err.code}` : `got ${res!.text}`);
          ctx.exit(0);
        },
        5000,
      );
    },
  }),
};

function lab() {
  const l = new Lab({ seed: "bridges" });
  l.registerImage(whoami);
  l.registerImage(fetch);
  for (const n of ["node2", "node3"])
    expect(l.run(`docker run -d --privileged --name ${n} docker:dind`).exitCode).toBe(0);
  return l;
}

describe("bridges local to each engine", () => {
  it("each dind node's docker0 is its own: the same subnet and addresses on every node", () => {
    const l = lab();
    expect(engineOf(l.node1)!.network("bridge").subnet?.toString()).toBe("172.17.0.0/16");
    for (const n of ["node2", "node3"]) {
      expect(engineOf(l.node(n))!.network("bridge").subnet?.toString()).toBe("172.18.0.0/16");
      expect(l.run(`docker exec ${n} docker run -d --name box alpine sleep 1d`).exitCode).toBe(0);
    }
    const ip = (n: string) => engineOf(l.node(n))!.find("box")!.address;
    expect(ip("node2")).toBe("172.18.0.2");
    expect(ip("node3")).toBe("172.18.0.2");
    // node2 shows its docker0 gateway and its container's address as its own interfaces.
    expect(l.run("docker exec node2 ip addr").stdout).toMatch(/inet 172\.18\.0\.1\/16 scope global docker0/);
  });

  it("a container reaches another node's published port through the nodes' own addresses (masqueraded)", () => {
    const l = lab();
    const node2 = l.node("node2").machine.address;
    const node3 = l.node("node3").machine.address;
    expect(
      l.run("docker exec node2 docker run -d --network host --name who lab/whoami whoami 8080").exitCode,
    ).toBe(0);
    const f = l.run(`docker exec node3 docker run -d --name f1 lab/fetch fetch ${node2} 8080`);
    expect(f.exitCode, f.stderr).toBe(0);
    l.run("sleep 2");
    // The answer came back; node2 saw node3's own address, not its container's 172.18.0.2.
    expect(l.run("docker exec node3 docker logs f1").stdout).toBe(`got ${node3}\n`);
    // A bridge address of another node is not reachable: 172.18.0.2 from node3 is node3's own.
    l.run("docker exec node2 docker run -d --name web lab/whoami");
    l.run("docker exec node3 docker run -d --name f2 lab/fetch fetch 172.18.0.3 80");
    l.run("sleep 6");
    expect(l.run("docker exec node3 docker logs f2").stdout).toMatch(/^error /);
  });
});
