// The attacker in the lab: `rogue ...` (src/lab/commands/rogue.ts) runs issue 17's attacks from a
// machine that never joined, against the swarm a student built. Each is refused; each is also
// run in a lab whose security is deliberately weakened (SecurityBugs), where it gets through,
// so these tests can fail.
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";
import { type SecurityBugs, setSecurityBugs } from "../src/transport/bugs";

function swarmLab(bugs: SecurityBugs = {}): Lab {
  const lab = new Lab({ seed: 5 });
  setSecurityBugs(lab.sim, bugs);
  for (const l of [
    "docker swarm init",
    "docker run -d --privileged --name node2 docker:dind",
    "docker exec node2 docker swarm join --token $(docker swarm join-token -q worker) 192.168.1.10:2377",
  ])
    expect(lab.run(l).exitCode, l).toBe(0);
  return lab;
}

const run = (lab: Lab, line: string) => {
  const r = lab.run(line);
  return { code: r.exitCode, out: r.stdout, err: r.stderr };
};

describe("rogue: the attacker's toolbox in the lab", () => {
  it("calls, stolen certificates and a replayed certificate open nothing a worker's key does not", () => {
    const lab = swarmLab();
    const none = run(lab, "rogue call node1 Control.GetCluster");
    expect(none.out).toContain("[lab] rogue machine 192.168.1.66 on node1's network");
    expect(none).toMatchObject({ code: 1, out: expect.stringContaining("refused: PermissionDenied") });
    expect(run(lab, "rogue call --cert node2 node1 Control.GetCluster")).toMatchObject({
      code: 1,
      out: expect.stringContaining(
        'refused: Unavailable: connection error: desc = "transport: authentication',
      ),
    });
    expect(run(lab, "rogue call --cert node2 --key node1 Control.GetCluster").out).toContain(
      "remote certificate not part of OUs: [swarm-manager]",
    );
    const replay = run(lab, "rogue replay node1 Control.GetCluster");
    expect(replay.out).toContain("harvested the certificate 192.168.1.10:2377 presents");
    expect(replay).toMatchObject({ code: 1, out: expect.stringContaining("refused: Unavailable") });
    // A manager's own key is a manager: served, and still without the CA key (redacted).
    const owned = run(lab, "rogue call --cert node1 --key node1 Control.GetCluster");
    expect(owned.code).toBe(0);
    expect(owned.out).toContain("[rogue] secrets in the answer: none\n");
  });

  it("(weakened: no CertificateVerify check) the replayed certificate gets the cluster with its secrets", () => {
    const lab = swarmLab({ noProofOfPossession: true, noRedaction: true });
    const replay = run(lab, "rogue replay node1 Control.GetCluster");
    expect(replay).toMatchObject({ code: 0, out: expect.stringContaining("served:") });
    expect(replay.out).toContain("[rogue] secrets in the answer: a private key");
  });

  it("guessed connection numbers are not answered, and a flood leaves the leader leading", () => {
    const lab = swarmLab();
    expect(run(lab, "rogue guess node1 300").out).toContain("1..300: 0 answered as served\n");
    expect(run(lab, "rogue flood node1 400").code).toBe(0);
    run(lab, "sleep 10");
    const ls = run(lab, "docker node ls").out;
    expect(ls).toMatch(/node1\s+Ready\s+Active\s+Leader/);
    expect(ls).toMatch(/node2\s+Ready\s+Active/);
  });

  it("(weakened: connections by the number in the message) guesses are served and the flood takes the nodes down", () => {
    const lab = swarmLab({ connectionFromPayload: true });
    expect(run(lab, "rogue guess node1 300").out).not.toContain(": 0 answered as served");
    run(lab, "rogue flood node1 400");
    run(lab, "sleep 10");
    expect(run(lab, "docker node ls").out).toMatch(/node2\s+Down/);
  });

  it("bad arguments get a message, never an attack", () => {
    const lab = swarmLab();
    expect(run(lab, "rogue").code).toBe(2);
    expect(run(lab, "rogue help")).toMatchObject({
      code: 0,
      out: expect.stringContaining("rogue flood TARGET [N]"),
    });
    expect(run(lab, "rogue call x Control.GetCluster")).toMatchObject({
      code: 1,
      err: "rogue: x is neither a lab node nor an address HOST:PORT\n",
    });
    expect(run(lab, "rogue call --cert nope node1 Control.GetCluster").err).toBe(
      "rogue: no such node: nope\n",
    );
    expect(run(lab, "rogue call node1 Control.GetCluster {")).toMatchObject({ code: 2 });
    expect(run(lab, "rogue flood node1 1e9")).toMatchObject({
      code: 2,
      err: "rogue: the count must be a whole number from 1 to 10000\n",
    });
    expect(run(lab, "rogue call --key node1 Control.GetCluster")).toMatchObject({
      code: 2,
      err: "usage: rogue call|replay|guess|flood ...\n",
    });
    expect(run(lab, "help").out).toContain("rogue call|replay|guess|flood ...");
  });
});
