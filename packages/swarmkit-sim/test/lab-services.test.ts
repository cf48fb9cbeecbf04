// Swarm services in the lab (opt-in): `docker service create` on a swarm of docker:dind nodes
// puts task containers on the nodes' engines, where the nodes' own `docker ps` shows them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";

describe("services in the lab", () => {
  it("docker service create runs replicas as containers on the nodes' engines", () => {
    const lab = new Lab({ seed: "services", services: true });
    lab.registerImage({
      name: "lab/web",
      command: ["serve"],
      exposedPorts: [80],
      create: () => ({ start: (ctx) => ctx.log("serving") }),
    });
    const r = lab.runScript(
      readFileSync(join(import.meta.dirname, "testdata", "services-three-nodes.lab"), "utf8"),
    );
    expect(r.failures).toEqual([]);
    expect(lab.run("docker service ls").stdout).toMatch(/\sweb\s+replicated\s+3\/3\s+lab\/web/);
    const tasks = ["node1", "node2", "node3"].map((n) =>
      n === "node1"
        ? lab.run("docker ps --format '{{.Names}}' --filter name=web.").stdout
        : lab.run(`docker exec ${n} docker ps --format '{{.Names}}'`).stdout,
    );
    expect(tasks.join("").match(/^web\.\d\.[0-9a-z]{25}$/gm)).toHaveLength(3);
  });
});
