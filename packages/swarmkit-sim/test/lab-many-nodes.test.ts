import { describe, expect, it } from "vitest";
import { engineOf, Lab } from "../src/lab";

describe("a lab with many nodes", () => {
  it("creates 60 docker:dind nodes (more than Docker's default pools hold) and joins them", () => {
    const lab = new Lab({ seed: 2, stepMs: 0 });
    expect(lab.run("docker swarm init").exitCode).toBe(0);
    const token = lab.run("docker swarm join-token -q worker").stdout.trim();
    for (let i = 2; i <= 61; i++) {
      const r = lab.run(`docker run -d --privileged --name node${i} docker:dind`);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(
        lab.run(`docker exec node${i} docker swarm join --token ${token} 192.168.1.10:2377`).exitCode,
      ).toBe(0);
    }
    lab.run("sleep 10");
    const ls = lab.run("docker node ls -q");
    expect(ls.stdout.trim().split("\n")).toHaveLength(61);
    // No engine's network took node1's own subnet.
    expect(lab.run("docker node ls").stdout).not.toContain("Down");
    // Each engine has its own docker0: no pool ran out (before, the 31st spilled into 100.64.0.0/10).
    for (let i = 2; i <= 61; i++)
      expect(
        engineOf(lab.node(`node${i}`))!
          .network("bridge")
          .subnet?.toString(),
      ).toBe("172.18.0.0/16");
  });
});
