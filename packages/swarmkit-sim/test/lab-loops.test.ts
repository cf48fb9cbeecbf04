// "Repeat for as many managers as needed (e.g. write a script to produce many nodes)": the
// lab's shell runs for loops, so the lecture's Tasks take two lines.
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";

describe("for loops in the lab", () => {
  it("create and join several nodes in one line each", () => {
    const lab = new Lab({ seed: "loops" });
    lab.run("docker swarm init");
    const create = lab.run(
      "for i in $(seq 2 4); do docker run -d --privileged --name node$i docker:dind; done",
    );
    expect(create.exitCode).toBe(0);
    const join = lab.run(
      "T=$(docker swarm join-token -q worker); for n in node2 node3 node4; do docker exec $n docker swarm join --token $T 192.168.1.10:2377; done",
    );
    expect(join.stdout).toBe("This node joined a swarm as a worker.\n".repeat(3));
    lab.run("sleep 5");
    const ready = lab.run("docker node ls | grep -c Ready");
    expect(ready.stdout).toBe("4\n");
  });

  it("the loop's status is its last command's", () => {
    const lab = new Lab({ seed: "loops" });
    expect(lab.run("for i in 1 2; do docker node ls; done").exitCode).toBe(1);
    expect(lab.run("for i in 1 2; do true; done").exitCode).toBe(0);
  });
});
