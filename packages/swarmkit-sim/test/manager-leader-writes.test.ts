// Components that run only on the leader write straight to raft and fail once their manager no
// longer leads (SwarmKit: the local store refuses a write after leadership is lost). Forwarded to
// the next leader instead, a stepped-down dispatcher's DISCONNECTED landed after the nodes had
// registered again with the new leader, and they stayed Disconnected for good.
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";

describe("writes of a manager that stepped down", () => {
  it("demoting the leader leaves every node Ready under the new leader", () => {
    const lab = new Lab({ seed: 1 });
    lab.run("docker swarm init");
    lab.run("for i in 2 3 4; do docker run -d --privileged --name node$i docker:dind; done");
    lab.run(
      "T=$(docker swarm join-token -q manager); for i in 2 3; do docker exec node$i docker swarm join --token $T 192.168.1.10:2377; done",
    );
    lab.run(
      "docker exec node4 docker swarm join --token $(docker swarm join-token -q worker) 192.168.1.10:2377",
    );
    expect(lab.run("docker exec node2 docker node demote node1").stdout).toBe(
      "Manager node1 demoted in the swarm.\n",
    );
    lab.run("sleep 30");
    const ls = lab.run('docker exec node2 docker node ls --format "{{.Hostname}} {{.Status}}"');
    expect(ls.stdout.trim().split("\n").sort()).toEqual([
      "node1 Ready",
      "node2 Ready",
      "node3 Ready",
      "node4 Ready",
    ]);
  });
});
