// `docker swarm ca --rotate` as a transcript shows it. The CLI's progress goes through
// jsonmessage, which off a terminal drops the messages that carry a bar and prints the others
// one per line: three headings, then "desired root digest: ..." once per 200 ms poll (the old
// root's digest while the rotation runs, the new one when it is done), then the new root.
// --detach returns at once; -q waits and prints nothing (cli/command/swarm/ca.go).
import { describe, expect, it } from "vitest";
import { Sim } from "../src/kernel/index";
import { caDigest } from "../src/ca/jointoken";
import { buildSwarm } from "../src/swarm/index";
import { docker } from "./support/swarm-cli";

function rotatingSwarm(seed: number) {
  const sim = new Sim({ seed });
  const s = buildSwarm(sim, { managers: 3, workers: 2 });
  const leader = s.leader()!;
  const cluster = () => s.leader()!.manager!.store.cluster()!;
  return { sim, s, leader, cluster, oldRoot: cluster().rootCA.caCertPem };
}

describe("docker swarm ca --rotate", () => {
  it("prints the non-terminal progress: headings, a digest line per poll, then the new root", () => {
    const { sim, leader, cluster, oldRoot } = rotatingSwarm(41);
    const started = sim.now();
    const r = docker(sim, leader, "swarm ca", [], { rotate: true });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const newRoot = cluster().rootCA.caCertPem;
    expect(newRoot).not.toBe(oldRoot);
    const lines = r.out.split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "desired root digest: ",
      "  rotated TLS certificates: ",
      "  rotated CA certificates:  ",
    ]);
    const digests = lines.filter((l, i) => i >= 3 && l.startsWith("desired root digest: "));
    // One line per poll, 200 ms apart (plus the calls' own time), for as long as it took.
    expect(digests.length).toBeGreaterThan(3);
    expect(digests.length).toBeLessThanOrEqual((sim.now() - started) / 200 + 1);
    expect(digests.at(-1)).toBe(`desired root digest: ${caDigest(newRoot)}`);
    expect(digests[0]).toBe(`desired root digest: ${caDigest(oldRoot)}`);
    expect(lines.slice(3, 3 + digests.length)).toEqual(digests);
    expect(r.out).not.toMatch(/\[=|nodes/);
    expect(r.out.endsWith(`${digests.at(-1)}\n${newRoot.trim()}\n`)).toBe(true);
  });

  it("--detach returns at once, with nothing printed, while the rotation goes on", () => {
    const { sim, leader, cluster, oldRoot } = rotatingSwarm(42);
    const r = docker(sim, leader, "swarm ca", [], { rotate: true, detach: true });
    expect(r).toEqual({ out: "", err: "", code: 0 });
    expect(cluster().rootCA.rootRotation).toBeDefined();
    expect(cluster().rootCA.caCertPem).toBe(oldRoot);
  });

  it("-q waits for the rotation and prints nothing, not even the root", () => {
    const { sim, leader, cluster, oldRoot } = rotatingSwarm(43);
    const r = docker(sim, leader, "swarm ca", [], { rotate: true, quiet: true });
    expect(r).toEqual({ out: "", err: "", code: 0 });
    expect(cluster().rootCA.rootRotation).toBeUndefined();
    expect(cluster().rootCA.caCertPem).not.toBe(oldRoot);
  });

  it("without --rotate prints the root; CA options need --rotate", () => {
    const { sim, leader, oldRoot } = rotatingSwarm(44);
    expect(docker(sim, leader, "swarm ca").out).toBe(`${oldRoot.trim()}\n`);
    expect(docker(sim, leader, "swarm ca", [], { "cert-expiry": 3600_000 })).toEqual({
      out: "",
      err: "`--cert-expiry` flag requires the `--rotate` flag to update the CA\n",
      code: 1,
    });
  });
});

describe("docker swarm ca --rotate with other flags", () => {
  it("--cert-expiry goes with the rotation; a root of the user's own is refused, and nothing rotates", () => {
    const { sim, leader, cluster, oldRoot } = rotatingSwarm(44);
    for (const flag of ["ca-cert", "ca-key", "external-ca"]) {
      const r = docker(sim, leader, "swarm ca", [], { rotate: true, [flag]: "x" });
      expect(r).toEqual({
        out: "",
        err: `swarm-sim: 'docker swarm ca --rotate --${flag}' is not supported in the simulator\n`,
        code: 1,
      });
    }
    expect(cluster().rootCA.rootRotation).toBeUndefined();
    expect(cluster().rootCA.caCertPem).toBe(oldRoot);
    const hours48 = 48 * 3_600_000;
    const r = docker(sim, leader, "swarm ca", [], {
      rotate: true,
      detach: true,
      "cert-expiry": hours48,
    });
    expect(r.code).toBe(0);
    expect(cluster().spec.caConfig.nodeCertExpiryMs).toBe(hours48);
    expect(cluster().rootCA.rootRotation).toBeDefined();
  });
});
