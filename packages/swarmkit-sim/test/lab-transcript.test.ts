// The lecture's Swarm part and its closing Tasks, typed into the lab verbatim: the not-a-manager
// error before init, swarm init, docker info, node2 from docker:dind, the worker join token,
// docker exec -it node2 sh, the pasted join command, docker info | grep Swarm, the worker's
// error, exit, the two-node list, then three managers and five workers, a worker denied manager
// commands, promoted, then allowed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";

/** The lecture's Swarm part and Tasks as a lab script (test/testdata/swarm-lecture.lab). */
const SWARM_LECTURE_SCRIPT = readFileSync(join(import.meta.dirname, "testdata", "swarm-lecture.lab"), "utf8");
/**
 * The lines of the script that fail on purpose (to show Docker's errors); an `exit` right after
 * a failure leaves with that status, as sh does.
 */
const SWARM_LECTURE_EXPECTED_FAILURES = [
  "docker node ls",
  "docker node ls",
  "exit",
  "docker node ls",
  "exit",
];

const NOT_IN_SWARM =
  'Error response from daemon: This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.\n';
const WORKER_ERROR =
  "Error response from daemon: This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.\n";
const ID = "[0-9a-z]{25}";
const TOKEN = "SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}";

/** Runs one line and fails the test with the transcript so far if its status is unexpected. */
function session(lab: Lab) {
  let transcript = "";
  return {
    run(line: string, expectStatus = 0) {
      const prompt = lab.prompt();
      const r = lab.run(line);
      transcript += `${prompt}${line}\n${r.stdout}${r.stderr}`;
      if (r.exitCode !== expectStatus) {
        throw new Error(
          `"${line}" exited ${r.exitCode} (expected ${expectStatus})\n--- transcript ---\n${transcript}`,
        );
      }
      return r;
    },
    get transcript() {
      return transcript;
    },
  };
}

/** The rows of `docker node ls` as objects. */
function nodeRows(stdout: string) {
  const [header, ...rows] = stdout.trimEnd().split("\n");
  expect(header).toMatch(/^ID\s+HOSTNAME\s+STATUS\s+AVAILABILITY\s+MANAGER STATUS\s+ENGINE VERSION$/);
  return rows.map((row) => {
    const m = new RegExp(
      `^(${ID}) ([* ])\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(Leader|Reachable|Unreachable)?\\s*(\\S+)$`,
    ).exec(row);
    if (!m) throw new Error(`unexpected node ls row: ${JSON.stringify(row)}`);
    return {
      id: m[1],
      self: m[2] === "*",
      hostname: m[3],
      status: m[4],
      availability: m[5],
      manager: m[6] ?? "",
    };
  });
}

describe("the lecture's Swarm part in the lab", () => {
  it("runs every command verbatim with Docker's outputs", () => {
    const lab = new Lab({ seed: "lecture" });
    const s = session(lab);
    expect(lab.prompt()).toBe("[node1] ~ $ ");

    // "Try a Swarm-specific command": the error before Swarm mode is enabled.
    expect(s.run("docker node ls", 1).stderr).toBe(NOT_IN_SWARM);

    // Creating our first Swarm.
    const init = s.run("docker swarm init").stdout;
    expect(init).toMatch(
      new RegExp(
        `^Swarm initialized: current node \\((${ID})\\) is now a manager\\.\\n\\n` +
          "To add a worker to this swarm, run the following command:\\n\\n" +
          `    docker swarm join --token (${TOKEN}) 192\\.168\\.1\\.10:2377\\n\\n` +
          "To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions\\.\\n$",
      ),
    );
    const node1Id = /current node \((\w+)\)/.exec(init)![1];

    // Checking that Swarm mode is enabled.
    const info = s.run("docker info").stdout;
    expect(info).toContain(" Swarm: active\n");
    expect(info).toContain(`  NodeID: ${node1Id}\n`);
    expect(info).toContain("  Is Manager: true\n");
    expect(info).toMatch(new RegExp(`  ClusterID: ${ID}\\n`));

    // Running our first Swarm mode command.
    const one = nodeRows(s.run("docker node ls").stdout);
    expect(one).toEqual([
      {
        id: node1Id,
        self: true,
        hostname: "node1",
        status: "Ready",
        availability: "Active",
        manager: "Leader",
      },
    ]);

    // Adding node2: a docker:dind container on node1.
    s.run("docker run --privileged --name node2 docker:dind");
    expect(s.run("docker ps").stdout).toMatch(
      /docker:dind\s+"dockerd-entrypoint\.…"\s+.*Up .*2375-2376\/tcp\s+node2\n/,
    );

    // Show the token again, and paste the join command into node2's terminal.
    const joinToken = s.run("docker swarm join-token worker").stdout;
    const joinLine = new RegExp(
      `^To add a worker to this swarm, run the following command:\\n\\n    (docker swarm join --token ${TOKEN} 192\\.168\\.1\\.10:2377)\\n\\n$`,
    ).exec(joinToken);
    expect(joinLine).not.toBeNull();
    s.run("docker exec -it node2 sh");
    expect(lab.prompt()).toBe("[node2] / # ");
    expect(s.run(joinLine![1]).stdout).toBe("This node joined a swarm as a worker.\n");

    // Still on node2: docker info says Swarm is active, but Swarm commands do not work.
    expect(s.run("docker info | grep Swarm").stdout).toBe(" Swarm: active\n");
    expect(s.run("docker node ls", 1).stderr).toBe(WORKER_ERROR);

    // Back to node1 (exit) to see the two-node cluster. Like sh, exit passes on the last status.
    s.run("exit", 1);
    expect(lab.prompt()).toBe("[node1] ~ $ ");
    const two = nodeRows(s.run("docker node ls").stdout);
    expect(two.map((r) => [r.hostname, r.status, r.availability, r.manager, r.self])).toEqual([
      ["node1", "Ready", "Active", "Leader", true],
      ["node2", "Ready", "Active", "", false],
    ]);

    // Tasks: 3 managers and 5 workers. The manager token, then docker run -d + docker exec.
    const managerToken = s.run("docker swarm join-token manager").stdout;
    const managerJoin = / {4}(docker swarm join --token \S+ 192\.168\.1\.10:2377)\n/.exec(managerToken)![1];
    expect(managerToken.startsWith("To add a manager to this swarm, run the following command:\n\n")).toBe(
      true,
    );
    for (const node of ["node3", "node4"]) {
      expect(s.run(`docker run -d --privileged --name ${node} docker:dind`).stdout).toMatch(
        /^[0-9a-f]{64}\n$/,
      );
      expect(s.run(`docker exec ${node} ${managerJoin}`).stdout).toBe(
        "This node joined a swarm as a manager.\n",
      );
    }
    for (const node of ["node5", "node6", "node7", "node8"]) {
      s.run(`docker run -d --privileged --name ${node} docker:dind`);
      expect(s.run(`docker exec ${node} ${joinLine![1]}`).stdout).toBe(
        "This node joined a swarm as a worker.\n",
      );
    }
    s.run("sleep 5");
    const eight = nodeRows(s.run("docker node ls").stdout);
    expect(eight.map((r) => r.hostname)).toEqual([
      "node1",
      "node2",
      "node3",
      "node4",
      "node5",
      "node6",
      "node7",
      "node8",
    ]);
    expect(eight.every((r) => r.status === "Ready" && r.availability === "Active")).toBe(true);
    expect(eight.filter((r) => r.manager === "Leader").map((r) => r.hostname)).toEqual(["node1"]);
    expect(eight.filter((r) => r.manager === "Reachable").map((r) => r.hostname)).toEqual(["node3", "node4"]);

    // The managers' terminals have the swarm manager functionality, with '*' on the node itself.
    const fromNode3 = nodeRows(s.run("docker exec node3 docker node ls").stdout);
    expect(fromNode3.filter((r) => r.self).map((r) => r.hostname)).toEqual(["node3"]);

    // A worker has no manager permissions; promoted, it has.
    s.run("docker exec -it node5 sh");
    expect(s.run("docker node ls", 1).stderr).toBe(WORKER_ERROR);
    expect(s.run("docker node promote node6", 1).stderr).toBe(WORKER_ERROR);
    s.run("exit", 1);
    expect(s.run("docker node promote node5").stdout).toBe(
      "Node node5 promoted to a manager in the swarm.\n",
    );
    s.run("sleep 10");
    s.run("docker exec -it node5 sh");
    const fromNode5 = nodeRows(s.run("docker node ls").stdout);
    expect(fromNode5.find((r) => r.hostname === "node5")).toMatchObject({
      self: true,
      manager: "Reachable",
      status: "Ready",
    });
    expect(s.run("docker info | grep 'Is Manager'").stdout).toBe("  Is Manager: true\n");
    s.run("exit");
    expect(lab.depth()).toBe(1);
  });

  it("runs the lecture's other Swarm commands verbatim", () => {
    // "Example to run Swarm on a different port".
    const a = new Lab({ seed: "ports" });
    const sa = session(a);
    expect(sa.run("docker swarm init --advertise-addr eth0:7777 --listen-addr eth0:7777").stdout).toMatch(
      new RegExp(`docker swarm join --token ${TOKEN} 192\\.168\\.1\\.10:7777\\n`),
    );

    // "Which IP address should be advertised?": an IP, or an interface name.
    const b = new Lab({ seed: "ip", node1Interfaces: [{ name: "eth0", address: "172.24.0.2" }] });
    expect(session(b).run("docker swarm init --advertise-addr 172.24.0.2").stdout).toContain(
      " 172.24.0.2:2377\n",
    );
    const c = new Lab({ seed: "iface" });
    const sc = session(c);
    expect(sc.run("docker swarm init --advertise-addr eth0").stdout).toContain(" 192.168.1.10:2377\n");

    // Rotating a join token; promote and demote by name.
    const rotated = sc.run("docker swarm join-token --rotate worker").stdout;
    expect(rotated).toMatch(
      new RegExp(
        `^Successfully rotated worker join token\\.\\n\\nTo add a worker to this swarm, run the following command:\\n\\n    docker swarm join --token ${TOKEN} 192\\.168\\.1\\.10:2377\\n\\n$`,
      ),
    );
    sc.run("docker run -d --privileged --name node2 docker:dind");
    sc.run("TOKEN=$(docker swarm join-token -q worker)");
    sc.run("docker exec node2 docker swarm join --token $TOKEN 192.168.1.10:2377");
    expect(sc.run("docker node promote node2").stdout).toBe(
      "Node node2 promoted to a manager in the swarm.\n",
    );
    sc.run("sleep 10");
    expect(sc.run("docker node demote node2").stdout).toBe("Manager node2 demoted in the swarm.\n");
    sc.run("sleep 10");
    expect(sc.run("docker exec node2 docker node ls", 1).stderr).toBe(WORKER_ERROR);
  });

  it("the lecture script runs as a transcript, failing only where the lecture expects errors", () => {
    const lab = new Lab({ seed: "script" });
    const r = lab.runScript(SWARM_LECTURE_SCRIPT);
    expect(r.failures.map((f) => f.line)).toEqual(SWARM_LECTURE_EXPECTED_FAILURES);
    expect(r.transcript).toContain("[node2] / # docker swarm join --token ");
    expect(r.transcript).toContain("This node joined a swarm as a worker.");
    expect(r.transcript).toContain("Node node5 promoted to a manager in the swarm.");
    expect(r.transcript.match(/This node joined a swarm as a manager\./g)).toHaveLength(2);
    expect(lab.depth()).toBe(1);
  });

  it("replays identically from its seed (same transcript, same trace hash)", () => {
    const script = readFileSync(join(import.meta.dirname, "testdata", "worker-join.lab"), "utf8");
    const a = new Lab({ seed: 7 });
    const b = new Lab({ seed: 7 });
    const ta = a.runScript(script);
    const tb = b.runScript(script);
    expect(ta.failures).toEqual([]);
    expect(ta.transcript).toBe(tb.transcript);
    expect(a.sim.trace.hash()).toBe(b.sim.trace.hash());
    expect(ta.transcript).toContain("This node joined a swarm as a worker.");
    const c = new Lab({ seed: 8 }).runScript(script);
    expect(c.transcript).not.toBe(ta.transcript);
  });
});
