// "Least privilege architecture (single-node compromise ≠ cluster compromise)": an attacker who
// owns a worker has its key and certificate. Presented straight to a manager, past dockerd,
// they open only the worker's share of the API: the dispatcher, not the control API, not
// Raft, not the unlock key. The worker holds no cluster store and no CA key to forge a
// manager certificate with, and once the node is removed its certificate opens nothing.
// From the owned worker the attacker also tries what issue 17 found open: replaying the
// certificate the manager shows anyone in its handshake (no key: refused), requests naming
// other clients' connection numbers (none answered), and a flood of unauthenticated handshakes
// (the leader keeps leading, every node stays ready).
import { Rogue, type SecurityBugs, setSecurityBugs, stealIdentity, swarmOf } from "@swarm-sim/swarmkit-sim";
import type { Scenario } from "../scenario";
import { type Checks, checkedResult } from "./checks";
import { LabSession } from "./lab-steps";
import { callManager, refused } from "./manager-rpc";

/** Methods only managers may call (SwarmKit's tls_authorization: roles ["swarm-manager"]). */
export const MANAGER_ONLY_METHODS = [
  "Control.ListNodes",
  "Control.GetCluster",
  "Control.ListTasks",
  "Control.UpdateNode",
  "Control.RemoveNode",
  "Control.UpdateCluster",
  "CA.GetUnlockKey",
  "RaftMembership.Join",
  "Raft.ProcessRaftMessage",
  "Health.Check",
] as const;

/** A worker's own job: a dispatcher call (authenticated; refused only for want of a session). */
const WORKER_METHOD = "Dispatcher.Heartbeat";

export interface LeastPrivilegeRun {
  /** The manager's answer to each manager-only method called with the worker's certificate. */
  managerOnly: Record<string, string | null>;
  workerMethod: string | null;
  workerFiles: string[];
  /** The same certificate after `docker node rm --force node2`. */
  afterRemoval: string | null;
  workerNodeId: string;
  /** Control.GetCluster presenting the manager's certificate harvested from its handshake, no key. */
  replayedManagerCert: string | null;
  /** Connection numbers (1..300) whose guessed request was answered as served. */
  guessedConnectionsServed: number[];
  /** After 400 unauthenticated handshakes from the worker: the leader, and the nodes not ready. */
  /** Raft IDs (0: no leader known). */
  leaderAfterFlood: number;
  leaderBeforeFlood: number;
  nodesNotReadyAfterFlood: number;
  traceHash: string;
}

/**
 * `promoteFirst` makes node2 a manager before its certificate is tried, and `remove: false`
 * leaves it in the swarm: broken runs for tests, in which the certificate is let in.
 */
export function runLeastPrivilege(
  seed: number,
  opts: { promoteFirst?: boolean; remove?: boolean; bugs?: SecurityBugs } = {},
): LeastPrivilegeRun {
  const s = new LabSession({ seed });
  if (opts.bugs) setSecurityBugs(s.lab.sim, opts.bugs);
  s.must("docker swarm init");
  s.addNode("node2", "worker");
  if (opts.promoteFirst) {
    s.must("docker node promote node2");
    s.run("sleep 20");
  }
  s.run("sleep 5");
  const sim = s.lab.sim;
  const manager = swarmOf(s.lab.node("node1"))!;
  const worker = swarmOf(s.lab.node("node2"))!;
  // The attacker owns node2: its certificate and its key, read from its disk.
  const stolen = stealIdentity(worker.machine, { withKey: true });
  const call = (method: string) => callManager(sim, worker.machine, manager.advertiseAddr, method, stolen);
  const managerOnly = Object.fromEntries(MANAGER_ONLY_METHODS.map((m) => [m, call(m)]));
  const workerMethod = call(WORKER_METHOD);
  const workerFiles = worker.machine.disk.list("swarm/");
  // What else the owned worker tries, with nothing but the network.
  const rogue = Rogue.on(sim, worker.machine);
  const managerChain = rogue.harvestChain(manager.advertiseAddr);
  const replayedManagerCert = rogue
    .present({ chain: managerChain, keyPem: null })
    .callNow(manager.advertiseAddr, "Control.GetCluster").err;
  const guessedConnectionsServed = rogue.guessConnections(
    manager.advertiseAddr,
    Array.from({ length: 300 }, (_, i) => i + 1),
    "Control.ListNodes",
  );
  const leaderBeforeFlood = manager.manager?.consensus.leaderId() ?? 0;
  rogue.flood(manager.advertiseAddr, 400);
  s.run("sleep 30");
  const leaderAfterFlood = manager.manager?.consensus.leaderId() ?? 0;
  const nodesNotReadyAfterFlood = (manager.manager?.store.nodes() ?? []).filter(
    (n) => n.status.state !== "ready",
  ).length;
  if (opts.remove !== false) s.must("docker node rm --force node2");
  s.run("sleep 5");
  const afterRemoval = call("Dispatcher.Session");
  const run = {
    managerOnly,
    workerMethod,
    workerFiles,
    afterRemoval,
    workerNodeId: worker.nodeId,
    replayedManagerCert,
    guessedConnectionsServed,
    leaderBeforeFlood,
    leaderAfterFlood,
    nodesNotReadyAfterFlood,
  };
  sim.trace.record("scenario.least-privilege", run);
  return { ...run, traceHash: s.traceHash() };
}

export function leastPrivilegeChecks(r: LeastPrivilegeRun): Checks {
  const answers = Object.values(r.managerOnly);
  return {
    managerOnlyMethodsDenied:
      answers.length === MANAGER_ONLY_METHODS.length &&
      answers.every(
        (a) => refused(a) && (a ?? "").includes("remote certificate not part of OUs: [swarm-manager]"),
      ),
    workerMethodsStillServed: !refused(r.workerMethod),
    noClusterStoreOnWorker: !r.workerFiles.some((f) => f.startsWith("swarm/raft/")),
    noCAKeyOnWorker: !r.workerFiles.some((f) => f.includes("root-ca.key")),
    replayedManagerCertificateRefused:
      refused(r.replayedManagerCert) && (r.replayedManagerCert ?? "").startsWith("Unavailable:"),
    guessedConnectionsUnanswered: r.guessedConnectionsServed.length === 0,
    floodLeavesLeaderLeading:
      r.leaderBeforeFlood !== 0 &&
      r.leaderAfterFlood === r.leaderBeforeFlood &&
      r.nodesNotReadyAfterFlood === 0,
    removedNodeRefused:
      refused(r.afterRemoval) &&
      (r.afterRemoval ?? "").includes(`node ${r.workerNodeId} was removed from swarm`),
  };
}

export const leastPrivilege: Scenario = {
  name: "least-privilege",
  section: "SwarmKit features",
  claim:
    "Least privilege architecture (single-node compromise ≠ cluster compromise): a worker's certificate opens only the worker's share of the API",
  defaultSeed: 1,
  run(seed) {
    const r = runLeastPrivilege(seed);
    const checks = leastPrivilegeChecks(r);
    const denied = Object.values(r.managerOnly).filter(refused).length;
    return checkedResult(
      this.name,
      seed,
      r.traceHash,
      checks,
      {
        managerOnly: r.managerOnly,
        workerMethod: r.workerMethod,
        workerFiles: r.workerFiles,
        afterRemoval: r.afterRemoval,
        replayedManagerCert: r.replayedManagerCert,
        guessedConnectionsServed: r.guessedConnectionsServed.length,
        nodesNotReadyAfterFlood: r.nodesNotReadyAfterFlood,
      },
      `node2's certificate, presented straight to node1: ${denied} of ${MANAGER_ONLY_METHODS.length} manager-only methods (control API, Raft, unlock key) denied ("remote certificate not part of OUs: [swarm-manager]"), the dispatcher still served; node1's own certificate replayed without its key: refused in the handshake; 300 guessed connection numbers: ${r.guessedConnectionsServed.length} answered; 400 unauthenticated handshakes: node1 still leads; node2 holds no raft store and no CA key; after docker node rm: "node … was removed from swarm"`,
    );
  },
};
