// A manager restarted with another IP address (its old one taken by another container while it
// was stopped) is found again: the leader sees its messages come from a new address while its
// own go unanswered, health-checks the new address and writes it to raft (swarmkit#1579), so
// the cluster keeps its quorum.
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";

function managerStatus(lab: Lab, on: string): Record<string, string> {
  const ls = lab.run(`docker exec ${on} docker node ls --format "{{.Hostname}} {{.ManagerStatus}}"`);
  return Object.fromEntries(
    ls.stdout
      .trim()
      .split("\n")
      .map((l) => l.split(" ") as [string, string]),
  );
}

describe("a manager whose address changed", () => {
  it("is reachable again, and the cluster survives the loss of another manager", () => {
    const lab = new Lab({ seed: 1 });
    lab.run("docker swarm init");
    lab.run("for i in 2 3; do docker run -d --privileged --name node$i docker:dind; done");
    lab.run(
      "T=$(docker swarm join-token -q manager); for i in 2 3; do docker exec node$i docker swarm join --token $T 192.168.1.10:2377; done",
    );
    const before = lab.sim.machine("node3").address;
    lab.run("docker stop node3");
    lab.run("docker run -d --privileged --name node4 docker:dind");
    lab.run("docker start node3");
    expect(lab.sim.machine("node3").address).not.toBe(before);
    expect(lab.sim.machine("node4").address).toBe(before);
    lab.run("sleep 30");
    expect(managerStatus(lab, "node2").node3).toBe("Reachable");
    // The member list every manager holds now has node3's new address.
    expect(lab.run("docker info").stdout).toContain(`   ${lab.sim.machine("node3").address}:2377\n`);
    lab.run("docker stop node2");
    lab.run("sleep 30");
    const ls = lab.run('docker node ls --format "{{.Hostname}} {{.ManagerStatus}}"');
    expect(ls.exitCode).toBe(0);
    expect(ls.stdout).toContain("node3 Reachable");
  });
});
