// "Warning: DO NOT execute `docker swarm init` on multiple nodes! You would have multiple
// disjoint clusters." Done anyway, on node1 and node2: each leads a cluster of its own, with
// its own CA, and neither lets the other's nodes in.
import type { Scenario } from "../scenario";
import { type Checks, checkedResult } from "./checks";
import { LabSession, parseNodeLs, type Step } from "./lab-steps";
import { infoField } from "./tables";

export interface InitTwiceRun {
  clusterIds: { node1: string; node2: string };
  /** Hostnames in `docker node ls` on each node, the node itself marked with `*`. */
  lists: { node1: string[]; node2: string[] };
  /** node3 takes node1's worker token to node2's manager address. */
  crossJoin: Step;
  /** node2 tries to join node1's cluster as it is. */
  merge: Step;
  traceHash: string;
}

/**
 * `second: "init"` is what the warning is about; `"join"` is what the lecture does instead
 * (node2 joins node1's swarm), for a test that sees the checks fail on a single cluster.
 */
export function runInitTwice(seed: number, second: "init" | "join" = "init"): InitTwiceRun {
  const s = new LabSession({ seed });
  s.must("docker swarm init");
  const token1 = s.must("docker swarm join-token -q worker").stdout.trim();
  const addr1 = s.joinAddr();
  s.must("docker run -d --privileged --name node2 docker:dind");
  s.must("docker run -d --privileged --name node3 docker:dind");
  if (second === "init") s.must("docker exec node2 docker swarm init");
  else s.must(`docker exec node2 docker swarm join --token ${token1} ${addr1}`);
  s.run("sleep 5");
  const info2 = s.run("docker exec node2 docker info").stdout;
  const lsOf = (line: string) =>
    parseNodeLs(s.run(line).stdout).map((n) => `${n.hostname}${n.self ? " *" : ""}`);
  const run: Omit<InitTwiceRun, "traceHash"> = {
    clusterIds: {
      node1: infoField(s.run("docker info").stdout, "ClusterID"),
      node2: infoField(info2, "ClusterID"),
    },
    lists: { node1: lsOf("docker node ls"), node2: lsOf("docker exec node2 docker node ls") },
    crossJoin: s.run(
      `docker exec node3 docker swarm join --token ${token1} ${infoField(info2, "Node Address")}:2377`,
    ),
    merge: s.run(`docker exec node2 docker swarm join --token ${token1} ${addr1}`),
  };
  return { ...run, traceHash: s.traceHash() };
}

export function initTwiceChecks(r: InitTwiceRun): Checks {
  const { node1, node2 } = r.clusterIds;
  return {
    twoClusterIds: node1 !== "" && node2 !== "" && node1 !== node2,
    node1ListsOnlyItself: r.lists.node1.join() === "node1 *",
    node2ListsOnlyItself: r.lists.node2.join() === "node2 *",
    // The joining node checks the manager's CA against the token's fingerprint, and stops.
    tokenRefusedByTheOtherCluster:
      r.crossJoin.exitCode !== 0 && r.crossJoin.stderr.includes("remote CA does not match fingerprint"),
    noMergeWithoutLeaving:
      r.merge.exitCode !== 0 && r.merge.stderr.includes("This node is already part of a swarm"),
  };
}

export const initTwice: Scenario = {
  name: "swarm-init-twice",
  section: "Creating our first Swarm",
  claim:
    "Warning: DO NOT execute `docker swarm init` on multiple nodes! You would have multiple disjoint clusters",
  defaultSeed: 1,
  run(seed) {
    const r = runInitTwice(seed);
    const checks = initTwiceChecks(r);
    const refusal = r.crossJoin.stderr.trim().replace(/^Error response from daemon: /, "");
    return checkedResult(
      this.name,
      seed,
      r.traceHash,
      checks,
      { clusterIds: r.clusterIds, lists: r.lists, crossJoinError: refusal },
      `init on node1 and on node2: clusters ${r.clusterIds.node1.slice(0, 8)}… and ${r.clusterIds.node2.slice(0, 8)}…, each node lists only itself; node1's token at node2: "${refusal.replace(/\. Expected: .*/, "")}"; node2 cannot join node1 without leaving its own`,
    );
  },
};
