import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab";

describe("docker service logs", () => {
  it("prints each task's container logs with Docker's task@node prefix, from every node", () => {
    const lab = new Lab({ seed: 4, services: true });
    const run = (line: string) => lab.run(line);
    expect(run("docker swarm init").exitCode).toBe(0);
    const token = run("docker swarm join-token -q worker").stdout.trim();
    run("docker run -d --privileged --name node2 docker:dind");
    expect(run(`docker exec node2 docker swarm join --token ${token} 192.168.1.10:2377`).exitCode).toBe(0);
    expect(run("docker service create --name web --replicas 3 nginx").exitCode).toBe(0);
    const logs = run("docker service logs web");
    expect(logs.exitCode).toBe(0);
    const lines = logs.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    for (const l of lines)
      expect(l).toMatch(
        /^web\.[123]\.[0-9a-z]{12}@node[12] +\| \/docker-entrypoint\.sh: Configuration complete/,
      );
    expect(new Set(lines.map((l) => /@(node\d)/.exec(l)![1])).size).toBe(2);
    // Prefixes are padded to one width, so the bars line up.
    expect(new Set(lines.map((l) => l.indexOf("|"))).size).toBe(1);
    const raw = run("docker service logs --raw --tail 1 web").stdout.trim().split("\n");
    expect(raw.every((l) => l.startsWith("/docker-entrypoint.sh"))).toBe(true);
    expect(run("docker service logs --no-task-ids web").stdout).toMatch(/^web\.\d@node\d +\| /m);
  });

  it("says when neither a service nor a task has that name", () => {
    const lab = new Lab({ seed: 4, services: true });
    lab.run("docker swarm init");
    const r = lab.run("docker service logs nosuch");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("no such task or service: nosuch\n");
  });
});
