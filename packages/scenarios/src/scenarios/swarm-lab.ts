// The Swarm part of the lecture, run as the lecture runs it: commands typed into a lab.
import { result, type Scenario } from "../scenario";
import { LabSession, parseNodeLs } from "./lab-steps";

const SECTION_MODE = "Swarm mode";
const SECTION_SWARM = "Creating our first Swarm";
const SECTION_HA = "Adding more manager nodes";
const SECTION_CONTROL = "Controlling the Swarm from other nodes";

const NOT_A_MANAGER = "This node is not a swarm manager.";
const WORKER_ERROR = "Worker nodes can't be used to view or modify cluster state.";
const TOKEN = /^SWMTKN-1-([0-9a-z]{50})-([0-9a-z]{25})$/;

export const notAManager: Scenario = {
  name: "swarm-not-active",
  section: SECTION_MODE,
  claim: 'Before `docker swarm init`, `docker node ls` fails: "This node is not a swarm manager."',
  defaultSeed: 1,
  run(seed) {
    const s = new LabSession({ seed });
    const r = s.run("docker node ls");
    const holds = r.exitCode !== 0 && r.stderr.includes(`Error response from daemon: ${NOT_A_MANAGER}`);
    return result(
      this.name,
      seed,
      s.traceHash(),
      holds,
      { exitCode: r.exitCode, stderr: r.stderr.trim() },
      `exit ${r.exitCode}: ${r.stderr.trim()}`,
    );
  },
};

export const swarmInit: Scenario = {
  name: "swarm-init",
  section: SECTION_SWARM,
  claim:
    "docker swarm init makes node1 the (single) manager and Leader, and creates a worker and a manager token: SWMTKN-1-<CA fingerprint>-<secret>",
  defaultSeed: 1,
  run(seed) {
    const s = new LabSession({ seed });
    const init = s.run("docker swarm init");
    const worker = s.run("docker swarm join-token -q worker").stdout.trim();
    const manager = s.run("docker swarm join-token -q manager").stdout.trim();
    const info = s.run("docker info").stdout;
    const nodes = parseNodeLs(s.run("docker node ls").stdout);
    const w = TOKEN.exec(worker);
    const m = TOKEN.exec(manager);
    const checks = {
      initMessage: /^Swarm initialized: current node \([0-9a-z]{25}\) is now a manager\./.test(init.stdout),
      tokensWellFormed: w !== null && m !== null,
      sameCaFingerprint: w !== null && m !== null && w[1] === m[1],
      differentSecrets: w !== null && m !== null && w[2] !== m[2],
      swarmActive: info.includes(" Swarm: active") && info.includes("Is Manager: true"),
      singleLeader:
        nodes.length === 1 &&
        nodes[0].self &&
        nodes[0].managerStatus === "Leader" &&
        nodes[0].status === "Ready",
    };
    const holds = Object.values(checks).every(Boolean);
    return result(
      this.name,
      seed,
      s.traceHash(),
      holds,
      { checks, workerToken: worker, managerToken: manager },
      `node1 is ${nodes[0]?.managerStatus ?? "?"}; tokens ${worker.slice(0, 20)}… and ${manager.slice(0, 20)}… share the CA fingerprint and differ in the secret`,
    );
  },
};

export const advertiseAddress: Scenario = {
  name: "swarm-advertise-addr",
  section: SECTION_SWARM,
  claim:
    "With several IP addresses Docker refuses to pick one; --advertise-addr eth0:7777 --listen-addr eth0:7777 runs Swarm on another port",
  defaultSeed: 1,
  run(seed) {
    const s = new LabSession({
      seed,
      node1Interfaces: [
        { name: "eth0", address: "192.168.1.10" },
        { name: "eth1", address: "10.10.0.5" },
      ],
    });
    const refused = s.run("docker swarm init");
    const ok = s.run("docker swarm init --advertise-addr eth0:7777 --listen-addr eth0:7777");
    const join = s.run("docker swarm join-token worker").stdout;
    const checks = {
      refused:
        refused.exitCode !== 0 && refused.stderr.includes("could not choose an IP address to advertise"),
      initOnPort7777: ok.exitCode === 0 && join.includes("192.168.1.10:7777"),
    };
    return result(
      this.name,
      seed,
      s.traceHash(),
      checks.refused && checks.initOnPort7777,
      { checks, error: refused.stderr.trim() },
      `plain init: "${refused.stderr.trim().slice(0, 120)}…"; with eth0:7777 the join command targets 192.168.1.10:7777`,
    );
  },
};

export const workerJoin: Scenario = {
  name: "swarm-worker-join",
  section: SECTION_SWARM,
  claim:
    "node2 joins as a worker: docker info shows Swarm: active there, but Swarm commands only work on a manager",
  defaultSeed: 1,
  run(seed) {
    const s = new LabSession({ seed });
    s.must("docker swarm init");
    s.must("docker run -d --privileged --name node2 docker:dind");
    const token = s.must("docker swarm join-token -q worker").stdout.trim();
    const addr = s.joinAddr();
    s.must("docker exec -it node2 sh");
    const joined = s.run(`docker swarm join --token ${token} ${addr}`);
    const grep = s.run("docker info | grep Swarm");
    const denied = s.run("docker node ls");
    s.run("exit"); // exits with the last status, as sh does
    s.run("sleep 5");
    const nodes = parseNodeLs(s.must("docker node ls").stdout);
    const checks = {
      joinedAsWorker: joined.stdout.includes("This node joined a swarm as a worker."),
      swarmActiveOnNode2: grep.stdout.includes("Swarm: active"),
      deniedOnWorker: denied.exitCode !== 0 && denied.stderr.includes(WORKER_ERROR),
      twoNodesReady: nodes.length === 2 && nodes.every((n) => n.status === "Ready"),
      node2IsWorker: nodes.find((n) => n.hostname === "node2")?.managerStatus === "",
    };
    return result(
      this.name,
      seed,
      s.traceHash(),
      Object.values(checks).every(Boolean),
      { checks, nodes },
      `node2: "${joined.stdout.trim()}"; on node2 docker node ls says "${denied.stderr
        .trim()
        .replace(/^Error response from daemon: /, "")
        .slice(0, 75)}…"; node1 lists ${nodes.length} nodes Ready`,
    );
  },
};

export const tokenRotation: Scenario = {
  name: "swarm-token-rotation",
  section: "Under the hood: join tokens",
  claim:
    "docker swarm join-token --rotate worker: the old token stops working for new joins; joined nodes are unaffected",
  defaultSeed: 1,
  run(seed) {
    const s = new LabSession({ seed });
    s.must("docker swarm init");
    s.addNode("node2", "worker");
    const old = s.must("docker swarm join-token -q worker").stdout.trim();
    const rotated = s.run("docker swarm join-token --rotate worker");
    const fresh = s.must("docker swarm join-token -q worker").stdout.trim();
    s.must("docker run -d --privileged --name node3 docker:dind");
    const addr = s.joinAddr();
    const withOld = s.run(`docker exec node3 docker swarm join --token ${old} ${addr}`);
    const withNew = s.run(`docker exec node3 docker swarm join --token ${fresh} ${addr}`);
    s.run("sleep 5");
    const nodes = parseNodeLs(s.must("docker node ls").stdout);
    const checks = {
      rotatedMessage: rotated.stdout.startsWith("Successfully rotated worker join token."),
      sameFingerprint: old.slice(0, 59) === fresh.slice(0, 59) && old !== fresh,
      oldRefused:
        withOld.exitCode !== 0 &&
        withOld.stderr.includes("A valid join token is necessary to join this cluster"),
      newAccepted: withNew.exitCode === 0,
      node2StillReady: nodes.find((n) => n.hostname === "node2")?.status === "Ready",
    };
    return result(
      this.name,
      seed,
      s.traceHash(),
      Object.values(checks).every(Boolean),
      { checks },
      `old token: "${withOld.stderr.trim().replace(/^Error response from daemon: /, "")}"; new token joins node3; node2 stays Ready`,
    );
  },
};

export const lectureTasks: Scenario = {
  name: "swarm-tasks",
  section: SECTION_CONTROL,
  claim:
    "3 managers and 5 workers: on a manager docker node ls lists every node, `*` marking the one you're talking to; a worker gets an error until it is promoted",
  defaultSeed: 1,
  run(seed) {
    const s = new LabSession({ seed });
    s.must("docker swarm init");
    for (const n of ["node2", "node3"]) s.addNode(n, "manager");
    for (const n of ["node4", "node5", "node6", "node7", "node8"]) s.addNode(n, "worker");
    s.run("sleep 10");
    const managerNames = ["node1", "node2", "node3"];
    const onManagers = managerNames.map((n) =>
      s.run(n === "node1" ? "docker node ls" : `docker exec ${n} docker node ls`),
    );
    const before = s.run("docker exec node4 docker node ls");
    const promote = s.run("docker node promote node4");
    s.run("sleep 20");
    const after = s.run("docker exec node4 docker node ls");
    const nodes = parseNodeLs(s.must("docker node ls").stdout);
    const managers = nodes.filter((n) => n.managerStatus !== "");
    const checks = {
      managersList: onManagers.every((r) => r.exitCode === 0 && parseNodeLs(r.stdout).length === 8),
      // One row per listing carries the `*`: the node the command ran on.
      starMarksTheNodeTalkedTo: onManagers.every((r, i) => {
        const marked = parseNodeLs(r.stdout).filter((n) => n.self);
        return marked.length === 1 && marked[0].hostname === managerNames[i];
      }),
      workerRefused: before.exitCode !== 0 && before.stderr.includes(WORKER_ERROR),
      promoted: promote.stdout.includes("Node node4 promoted to a manager in the swarm."),
      allowedAfterPromotion: after.exitCode === 0 && parseNodeLs(after.stdout).length === 8,
      fourManagersOneLeader:
        managers.length === 4 && managers.filter((n) => n.managerStatus === "Leader").length === 1,
      allReady: nodes.every((n) => n.status === "Ready"),
    };
    return result(
      this.name,
      seed,
      s.traceHash(),
      Object.values(checks).every(Boolean),
      { checks, nodes },
      `${nodes.length} nodes Ready; on node1, node2 and node3 the * marks the node itself; node4 refused as a worker ("${before.stderr
        .trim()
        .replace(/^Error response from daemon: /, "")
        .slice(0, 37)}…"), allowed after promotion; ${managers.length} managers, one Leader`,
    );
  },
};

export const loseOnlyManager: Scenario = {
  name: "swarm-lose-only-manager",
  section: SECTION_HA,
  claim:
    "With one manager, losing it loses quorum: containers on other nodes keep running, but nothing about the cluster can be read or changed",
  defaultSeed: 1,
  run(seed) {
    const s = new LabSession({ seed, services: true });
    s.must("docker run -d --privileged --name node2 docker:dind");
    s.must("docker run -d --privileged --name node3 docker:dind");
    s.must("docker exec -it node2 sh");
    s.must("docker swarm init");
    const token = s.must("docker swarm join-token -q worker").stdout.trim();
    const addr = s.joinAddr();
    s.must(`docker service create --name web --replicas 2 --constraint node.role==worker nginx`);
    s.must("exit");
    s.must(`docker exec node3 docker swarm join --token ${token} ${addr}`);
    s.run("sleep 60");
    const runningBefore = s
      .run("docker exec node3 docker ps -q")
      .stdout.trim()
      .split("\n")
      .filter(Boolean).length;
    s.must("docker kill node2");
    s.run("sleep 120");
    const runningAfter = s
      .run("docker exec node3 docker ps -q")
      .stdout.trim()
      .split("\n")
      .filter(Boolean).length;
    const control = s.run("docker exec node3 docker node ls");
    const info = s.run("docker exec node3 docker info").stdout;
    const checks = {
      containersKeptRunning: runningBefore > 0 && runningAfter === runningBefore,
      noControl: control.exitCode !== 0,
    };
    return result(
      this.name,
      seed,
      s.traceHash(),
      Object.values(checks).every(Boolean),
      { checks, runningBefore, runningAfter, workerSwarmLine: /Swarm: \S+/.exec(info)?.[0] ?? "" },
      `after docker kill node2 (the only manager): node3 still runs ${runningAfter} of ${runningBefore} task containers; cluster commands fail`,
    );
  },
};
