// "If the manager is permanently gone, we will have to do a manual repair!" Three managers,
// two of them lost for good: the survivor cannot reach a quorum and refuses every read and
// write. `docker swarm init --force-new-cluster` on it makes it the single manager of the same
// cluster, with the nodes and services it had; then the dead managers are removed and a new
// one joins, and the swarm can survive a failure again.
import type { Scenario } from "../scenario";
import { type Checks, checkedResult } from "./checks";
import { LabSession, parseNodeLs, type Step } from "./lab-steps";
import { infoField, parseServicePs } from "./tables";

const NO_LEADER = "The swarm does not have a leader.";

interface Snapshot {
  clusterId: string;
  managers: string;
  /** hostname → node ID (and MANAGER STATUS) in `docker node ls`. */
  nodes: Record<string, { id: string; managerStatus: string; status: string }>;
  serviceLs: string;
  runningTasks: number;
}

export interface ForceNewClusterRun {
  before: Snapshot;
  lostQuorumRead: Step;
  lostQuorumWrite: Step;
  repair: Step | null;
  after: Snapshot;
  writeAfter: Step;
  cleanup: Step;
  newManagerJoin: Step;
  final: Snapshot;
  traceHash: string;
}

function snapshot(s: LabSession): Snapshot {
  const info = s.run("docker info").stdout;
  const nodes = Object.fromEntries(
    parseNodeLs(s.run("docker node ls").stdout).map((n) => [
      n.hostname,
      { id: n.id, managerStatus: n.managerStatus, status: n.status },
    ]),
  );
  const tasks = parseServicePs(s.run("docker service ps web").stdout);
  return {
    clusterId: infoField(info, "ClusterID"),
    managers: infoField(info, "Managers"),
    nodes,
    serviceLs: s.run("docker service ls -q").stdout.trim(),
    runningTasks: tasks.filter((t) => !t.history && t.currentState.startsWith("Running")).length,
  };
}

/** `repair: false` skips `docker swarm init --force-new-cluster`: a broken run for tests. */
export function runForceNewCluster(seed: number, opts: { repair?: boolean } = {}): ForceNewClusterRun {
  const s = new LabSession({ seed, services: true });
  s.must("docker swarm init");
  for (const n of ["node2", "node3"]) s.addNode(n, "manager");
  s.addNode("node4", "worker");
  s.must("docker service create --detach --name web --replicas 3 --constraint node.role==worker nginx");
  s.run("sleep 20");
  const before = snapshot(s);

  // Two of the three managers are gone for good: their machines are deleted.
  s.must("docker rm -f node2 node3");
  s.run("sleep 30");
  const lostQuorumRead = s.run("docker node ls");
  const lostQuorumWrite = s.run("docker node update --label-add repaired=yes node4");

  const repair = opts.repair === false ? null : s.run("docker swarm init --force-new-cluster");
  s.run("sleep 30");
  const after = snapshot(s);
  const writeAfter = s.run("docker node update --label-add repaired=yes node4");

  // The rest of the repair: forget the dead managers, add a new one.
  const cleanup = s.run("docker node rm node2 node3");
  s.must("docker run -d --privileged --name node5 docker:dind");
  const token = s.run("docker swarm join-token -q manager").stdout.trim();
  const addr = s.run("docker swarm join-token manager").stdout.match(/--token \S+ (\S+)/)?.[1] ?? "";
  const newManagerJoin = s.run(`docker exec node5 docker swarm join --token ${token} ${addr}`);
  s.run("sleep 10");
  const final = snapshot(s);
  return {
    before,
    lostQuorumRead,
    lostQuorumWrite,
    repair,
    after,
    writeAfter,
    cleanup,
    newManagerJoin,
    final,
    traceHash: s.traceHash(),
  };
}

export function forceNewClusterChecks(r: ForceNewClusterRun): Checks {
  const ids = (x: Snapshot, hosts: string[]) => hosts.map((h) => x.nodes[h]?.id ?? "").join();
  const all = ["node1", "node2", "node3", "node4"];
  return {
    threeManagersBefore:
      Object.values(r.before.nodes).filter((n) => n.managerStatus !== "").length === 3 &&
      r.before.runningTasks === 3,
    quorumLost:
      r.lostQuorumRead.exitCode !== 0 &&
      r.lostQuorumRead.stderr.includes(NO_LEADER) &&
      r.lostQuorumWrite.exitCode !== 0,
    forceNewClusterSucceeds: r.repair?.exitCode === 0 && r.repair.stdout.startsWith("Swarm initialized"),
    sameClusterId: r.after.clusterId !== "" && r.after.clusterId === r.before.clusterId,
    oneManagerLeads: r.after.managers === "1" && r.after.nodes.node1?.managerStatus === "Leader",
    nodesAndServicesKept:
      ids(r.after, all) === ids(r.before, all) &&
      r.after.serviceLs === r.before.serviceLs &&
      r.after.runningTasks === 3,
    writableAgain: r.writeAfter.exitCode === 0,
    deadManagersRemovedNewOneJoins:
      r.cleanup.exitCode === 0 &&
      r.newManagerJoin.stdout.includes("This node joined a swarm as a manager.") &&
      r.final.nodes.node2 === undefined &&
      r.final.nodes.node3 === undefined &&
      r.final.nodes.node5?.managerStatus === "Reachable",
  };
}

export const forceNewCluster: Scenario = {
  name: "swarm-force-new-cluster",
  section: "Adding more manager nodes",
  claim:
    "If the manager is permanently gone, we will have to do a manual repair! (docker swarm init --force-new-cluster)",
  defaultSeed: 1,
  run(seed) {
    const r = runForceNewCluster(seed);
    const checks = forceNewClusterChecks(r);
    const noLeader = r.lostQuorumRead.stderr.includes(NO_LEADER);
    return checkedResult(
      this.name,
      seed,
      r.traceHash,
      checks,
      { before: r.before, lostQuorumError: r.lostQuorumRead.stderr.trim(), after: r.after, final: r.final },
      `node2 and node3 deleted: node1 answers${noLeader ? ' "The swarm does not have a leader…"' : ` "${r.lostQuorumRead.stderr.trim().slice(0, 60)}"`}; after --force-new-cluster it leads alone (Managers: ${r.after.managers}), same ClusterID ${r.after.clusterId.slice(0, 8)}…, the same ${Object.keys(r.after.nodes).length} nodes and service, ${r.after.runningTasks} tasks running; dead managers removed, node5 joins as a manager`,
    );
  },
};
