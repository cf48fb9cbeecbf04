// The lecture's Swarm part, in code: init, a worker joins, node ls on the manager and the
// error on the worker, three managers and five workers, a worker denied manager commands,
// promoted, then allowed; leave; and the swarm section of docker info.
import { describe, expect, it } from "vitest";
import { Sim } from "../src/kernel/sim";
import { ERR_NO_SWARM, ERR_WORKER } from "../src/node/errors";
import { attachSwarmNode } from "../src/swarm/attach";
import { docker } from "./support/swarm-cli";

function lab() {
  const sim = new Sim({ seed: "lecture" });
  const node = (name: string, address: string) =>
    attachSwarmNode(sim, sim.addMachine(name, { interfaces: [{ name: "eth0", address }] }));
  return { sim, node };
}

describe("the lecture's swarm walkthrough", () => {
  it("runs init, joins, node ls, promote, and shows Docker's outputs", () => {
    const { sim, node } = lab();
    const node1 = node("node1", "172.17.0.2");

    // Before init: the not-a-manager message.
    const before = docker(sim, node1, "node ls");
    expect(before.code).toBe(1);
    expect(before.err).toBe(`Error response from daemon: ${ERR_NO_SWARM}\n`);

    const init = docker(sim, node1, "swarm init", [], {
      "advertise-addr": "eth0:7777",
      "listen-addr": "eth0:7777",
    });
    expect(init.err).toBe("");
    expect(init.code).toBe(0);
    const id1 = node1.nodeId;
    expect(id1).toMatch(/^[0-9a-z]{25}$/);
    const token = node1.manager!.store.cluster()!.rootCA.joinTokens.worker;
    expect(init.out).toBe(
      `Swarm initialized: current node (${id1}) is now a manager.\n\n` +
        "To add a worker to this swarm, run the following command:\n\n" +
        `    docker swarm join --token ${token} 172.17.0.2:7777\n\n` +
        "To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.\n",
    );
    expect(token).toMatch(/^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$/);

    const info = docker(sim, node1, "info");
    expect(info.out).toContain(" Swarm: active\n  NodeID: ");
    expect(info.out).toContain("  Is Manager: true\n");
    expect(info.out).toContain("  Managers: 1\n  Nodes: 1\n");
    expect(info.out).toContain("  Node Address: 172.17.0.2\n  Manager Addresses:\n   172.17.0.2:7777\n");

    // node2 joins as a worker with the token the manager printed.
    const node2 = node("node2", "172.17.0.3");
    const jt = docker(sim, node1, "swarm join-token", ["worker"]);
    expect(jt.out).toBe(
      `To add a worker to this swarm, run the following command:\n\n    docker swarm join --token ${token} 172.17.0.2:7777\n\n`,
    );
    const join = docker(sim, node2, "swarm join", ["172.17.0.2:7777"], { token });
    expect(join.err).toBe("");
    expect(join.out).toBe("This node joined a swarm as a worker.\n");
    expect(docker(sim, node2, "info").out).toContain(" Swarm: active\n");

    const onWorker = docker(sim, node2, "node ls");
    expect(onWorker.code).toBe(1);
    expect(onWorker.err).toBe(`Error response from daemon: ${ERR_WORKER}\n`);

    sim.runFor(2000);
    const ls = docker(sim, node1, "node ls");
    expect(ls.code).toBe(0);
    const lines = ls.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+HOSTNAME\s+STATUS\s+AVAILABILITY\s+MANAGER STATUS\s+ENGINE VERSION$/);
    expect(lines[1]).toMatch(new RegExp(`^${id1} \\*\\s+node1\\s+Ready\\s+Active\\s+Leader\\s+27\\.5\\.1$`));
    expect(lines[2]).toMatch(new RegExp(`^${node2.nodeId}\\s+node2\\s+Ready\\s+Active\\s+27\\.5\\.1$`));

    // Three managers and five workers.
    const mtoken = node1.manager!.store.cluster()!.rootCA.joinTokens.manager;
    const managers = [node("node3", "172.17.0.4"), node("node4", "172.17.0.5")];
    for (const m of managers) {
      const r = docker(sim, m, "swarm join", ["172.17.0.2:7777"], { token: mtoken });
      expect(r.err).toBe("");
      expect(r.out).toBe("This node joined a swarm as a manager.\n");
    }
    const workers = [node2];
    for (let i = 5; i <= 8; i++) {
      const w = node(`node${i}`, `172.17.0.${i + 1}`);
      expect(docker(sim, w, "swarm join", ["172.17.0.2:7777"], { token }).code).toBe(0);
      workers.push(w);
    }
    sim.runFor(5000);
    const ls2 = docker(sim, managers[0], "node ls");
    expect(ls2.code).toBe(0);
    const rows = ls2.out.trimEnd().split("\n").slice(1);
    expect(rows).toHaveLength(8);
    expect(rows.filter((r) => /\sReady\s/.test(r))).toHaveLength(8);
    expect(rows.filter((r) => /\sLeader\s/.test(r))).toHaveLength(1);
    expect(rows.filter((r) => /\sReachable\s/.test(r))).toHaveLength(2);
    // The row of the node the command runs on has the star.
    expect(rows.find((r) => r.includes("node3"))).toMatch(/^[0-9a-z]{25} \*/);

    // A worker is denied, promoted, then allowed.
    const node5 = workers[1];
    expect(docker(sim, node5, "node ls").err).toBe(`Error response from daemon: ${ERR_WORKER}\n`);
    const promote = docker(sim, node1, "node promote", ["node5"]);
    expect(promote.out).toBe("Node node5 promoted to a manager in the swarm.\n");
    sim.runUntil(() => node5.manager?.hasLeader() === true, 60_000);
    const allowed = docker(sim, node5, "node ls");
    expect(allowed.err).toBe("");
    expect(allowed.out.split("\n").filter((r) => /\s(Leader|Reachable)\s/.test(r))).toHaveLength(4);
    expect(docker(sim, node1, "node promote", ["node5"]).out).toBe(
      `Node ${node5.nodeId} is already a manager.\n`,
    );

    // Demote it again, and a worker leaves.
    expect(docker(sim, node1, "node demote", ["node5"]).out).toBe("Manager node5 demoted in the swarm.\n");
    sim.runUntil(() => node5.role === "worker" && node5.manager === null, 60_000);
    expect(node5.role).toBe("worker");
    expect(docker(sim, node2, "swarm leave").out).toBe("Node left the swarm.\n");
    expect(docker(sim, node2, "swarm leave").err).toBe(
      "Error response from daemon: This node is not part of a swarm\n",
    );
    // A manager may not leave without --force.
    const leave = docker(sim, managers[0], "swarm leave");
    expect(leave.code).toBe(1);
    expect(leave.err).toContain(
      "You are attempting to leave the swarm on a node that is participating as a manager.",
    );
  });
});
