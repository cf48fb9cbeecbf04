// "Under the hood: docker swarm join": a manager joins the Raft consensus, connects to the
// current leader and accepts connections from worker nodes; a worker connects to one of the
// managers (leader or follower). Three managers and five workers, as in the lecture; node4 joins
// through node2 (a follower), node5-node7 are restarted and draw a manager at random, node8
// stays on node1 (the leader). Every worker is Ready, and every session lives in the leader's
// dispatcher, whichever manager carries it. (A manager's own agent keeps the session it opened
// while joining, on node1, until that session breaks; then it uses its own manager.)
import { swarmOf } from "@swarm-sim/swarmkit-sim";
import type { Scenario } from "../scenario";
import { type Checks, checkedResult } from "./checks";
import { LabSession, parseNodeLs } from "./lab-steps";

const MANAGERS = ["node1", "node2", "node3"];
const WORKERS = ["node4", "node5", "node6", "node7", "node8"];
const RESTARTED = ["node5", "node6", "node7"];

export interface JoinConnectionsRun {
  /** Each node's manager connection (the machine name whose manager carries its session). */
  connectedTo: Record<string, string>;
  /** The leader's machine name, and the raft members as machine names. */
  leader: string;
  raftMembers: string[];
  /** Sessions in the leader's dispatcher. */
  leaderSessions: number;
  /** `docker node ls` on node1: hostname → status. */
  status: Record<string, string>;
  traceHash: string;
}

/** `via: "leader"` joins node4 through node1 like the others: a broken run for tests. */
export function runJoinConnections(
  seed: number,
  via: "follower" | "leader" = "follower",
): JoinConnectionsRun {
  const s = new LabSession({ seed });
  s.must("docker swarm init --advertise-addr eth0");
  for (const n of ["node2", "node3"]) s.addNode(n, "manager");
  s.run("sleep 10");
  const lab = s.lab;
  const leaderOf = () => MANAGERS.find((n) => swarmOf(lab.node(n))?.manager?.isLeader()) ?? "";
  const follower = MANAGERS.find((n) => n !== leaderOf()) ?? "node2";
  s.must("docker run -d --privileged --name node4 docker:dind");
  const token = s.must("docker swarm join-token -q worker").stdout.trim();
  const through = via === "follower" ? follower : leaderOf();
  const addr = swarmOf(lab.node(through))!.advertiseAddr;
  s.must(`docker exec node4 docker swarm join --token ${token} ${addr}`);
  for (const n of WORKERS.slice(1)) s.addNode(n, "worker");
  s.run("sleep 10");
  for (const n of RESTARTED) s.must(`docker restart ${n}`);
  s.run("sleep 30");

  const byAddr = new Map<string, string>();
  for (const n of MANAGERS) byAddr.set(swarmOf(lab.node(n))!.advertiseAddr, n);
  const connectedTo: Record<string, string> = {};
  for (const n of [...MANAGERS, ...WORKERS]) {
    const remote = swarmOf(lab.node(n))?.agent?.remote ?? "";
    connectedTo[n] = byAddr.get(remote) ?? remote;
  }
  const leader = leaderOf();
  const leaderManager = swarmOf(lab.node(leader))?.manager;
  const raftMembers = (leaderManager?.consensus.members() ?? []).map((m) => byAddr.get(m.addr) ?? m.addr);
  const leaderSessions = leaderManager?.activeDispatcher?.sessionCount() ?? 0;
  const status = Object.fromEntries(
    parseNodeLs(s.must("docker node ls").stdout).map((r) => [r.hostname, r.status]),
  );
  const run = { connectedTo, leader, raftMembers: raftMembers.sort(), leaderSessions, status };
  lab.sim.trace.record("scenario.join-connections", run);
  return { ...run, traceHash: s.traceHash() };
}

export function joinConnectionsChecks(r: JoinConnectionsRun): Checks {
  const followers = MANAGERS.filter((n) => n !== r.leader);
  const workerManagers = WORKERS.map((w) => r.connectedTo[w]);
  return {
    managersInRaft: MANAGERS.every((n) => r.raftMembers.includes(n)) && r.raftMembers.length === 3,
    workersConnectToManagers: workerManagers.every((m) => MANAGERS.includes(m)),
    someWorkerOnAFollower: workerManagers.some((m) => followers.includes(m)),
    someWorkerOnTheLeader: workerManagers.includes(r.leader),
    everySessionInTheLeadersDispatcher: r.leaderSessions === MANAGERS.length + WORKERS.length,
    everyNodeReady: [...MANAGERS, ...WORKERS].every((n) => r.status[n] === "Ready"),
  };
}

export const joinConnections: Scenario = {
  name: "join-connections",
  section: "Under the hood: docker swarm join",
  claim:
    "A manager joins the Raft consensus and accepts connections from workers; a worker connects to one of the managers (leader or follower)",
  defaultSeed: 1,
  run(seed) {
    const r = runJoinConnections(seed);
    const checks = joinConnectionsChecks(r);
    const tally = MANAGERS.map(
      (m) =>
        `${m}${m === r.leader ? " (leader)" : ""}: ${WORKERS.filter((w) => r.connectedTo[w] === m).join(" ") || "-"}`,
    ).join("; ");
    return checkedResult(
      this.name,
      seed,
      r.traceHash,
      checks,
      { connectedTo: r.connectedTo, leader: r.leader, leaderSessions: r.leaderSessions },
      `workers' sessions by manager: ${tally}; ${r.leaderSessions} sessions in the leader's dispatcher (followers proxy theirs), every node Ready`,
    );
  },
};
