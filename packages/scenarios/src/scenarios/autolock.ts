// "On-disk encryption with optional passphrase": `docker swarm init --autolock` seals the
// manager's TLS key and raft data with a key only the user holds. After a restart the manager
// is locked (`docker info` says `Swarm: locked`, manager commands fail with Docker's message)
// until `docker swarm unlock` is given that key. Without --autolock, a restart needs nothing.
import { swarmOf } from "@swarm-sim/swarmkit-sim";
import type { Scenario } from "../scenario";
import { type Checks, checkedResult } from "./checks";
import { combinedHash } from "./hash";
import { LabSession, parseNodeLs, type Step } from "./lab-steps";
import { infoField } from "./tables";

const ERR_LOCKED =
  'Swarm is encrypted and needs to be unlocked before it can be used. Please use "docker swarm unlock" to unlock it.';
const UNLOCK_KEY = /SWMKEY-1-[A-Za-z0-9+/]{43}/;
/** A well-formed key that is not the swarm's. */
const WRONG_KEY = `SWMKEY-1-${"A".repeat(43)}`;

export interface AutolockRun {
  unlockKey: string;
  /** The manager's raft files and TLS key, as they sit on node2's disk. */
  disk: { raftSealed: boolean; clusterIdInClear: boolean; tlsKeySealed: boolean };
  swarmAfterRestart: string;
  managerCommand: Step;
  wrongKey: Step;
  unlock: Step;
  leaderAfterUnlock: boolean;
  swarmAfterUnlock: string;
  /** A swarm made without --autolock, restarted the same way. */
  plainSwarmAfterRestart: string;
  plainManagerCommand: Step;
  traceHash: string;
}

/** What a manager's disk shows of its cluster: sealed records, or the cluster ID in the clear. */
function inspectDisk(s: LabSession, node: string): AutolockRun["disk"] {
  const n = swarmOf(s.lab.node(node))!;
  const disk = n.machine.disk;
  const raft = disk
    .list("swarm/raft/")
    .filter((p) => !p.endsWith("member"))
    .map((p) => JSON.stringify(disk.readLog(p)))
    .join("");
  const key = disk.read("swarm/certificates/swarm-node.key") as { sealed?: unknown; pem?: string };
  return {
    raftSealed: raft.includes("$sealed"),
    clusterIdInClear: raft.includes(n.clusterId),
    tlsKeySealed: key.sealed !== undefined && key.pem === undefined,
  };
}

/** A one-manager swarm on node2, restarted: `docker info` and a manager command after. */
function restartAndLook(s: LabSession): { swarm: string; command: Step } {
  s.must("docker restart node2");
  const swarm = infoField(s.run("docker exec node2 docker info").stdout, "Swarm");
  return { swarm, command: s.run("docker exec node2 docker node ls") };
}

/** `autolock: false` leaves out --autolock: a broken run for tests, in which nothing locks. */
export function runAutolock(seed: number, opts: { autolock?: boolean } = {}): AutolockRun {
  const s = new LabSession({ seed });
  s.must("docker run -d --privileged --name node2 docker:dind");
  const init = s.must(`docker exec node2 docker swarm init${opts.autolock === false ? "" : " --autolock"}`);
  const unlockKey = UNLOCK_KEY.exec(init.stdout)?.[0] ?? "";
  s.run("sleep 5");
  const disk = inspectDisk(s, "node2");
  const after = restartAndLook(s);
  // The unlock key is typed inside node2, as `docker swarm unlock` prompts for it there.
  s.must("docker exec -it node2 sh");
  const wrongKey = s.run(`echo ${WRONG_KEY} | docker swarm unlock`);
  const unlock = s.run(`echo ${unlockKey} | docker swarm unlock`);
  s.run("sleep 5");
  const nodes = parseNodeLs(s.run("docker node ls").stdout);
  const swarmAfterUnlock = infoField(s.run("docker info").stdout, "Swarm");
  s.run("exit");

  // The same, without --autolock, in a lab of its own.
  const plain = new LabSession({ seed });
  plain.must("docker run -d --privileged --name node2 docker:dind");
  plain.must("docker exec node2 docker swarm init");
  plain.run("sleep 5");
  const plainAfter = restartAndLook(plain);

  const run: Omit<AutolockRun, "traceHash"> = {
    unlockKey,
    disk,
    swarmAfterRestart: after.swarm,
    managerCommand: after.command,
    wrongKey,
    unlock,
    leaderAfterUnlock: nodes.length === 1 && nodes[0].managerStatus === "Leader",
    swarmAfterUnlock,
    plainSwarmAfterRestart: plainAfter.swarm,
    plainManagerCommand: plainAfter.command,
  };
  return { ...run, traceHash: combinedHash([s.traceHash(), plain.traceHash()]) };
}

export function autolockChecks(r: AutolockRun): Checks {
  return {
    initPrintsUnlockKey: r.unlockKey !== "",
    sealedOnDisk: r.disk.raftSealed && !r.disk.clusterIdInClear && r.disk.tlsKeySealed,
    lockedAfterRestart: r.swarmAfterRestart === "locked",
    managerCommandsRefused:
      r.managerCommand.exitCode !== 0 &&
      r.managerCommand.stderr.includes(`Error response from daemon: ${ERR_LOCKED}`),
    wrongKeyRefused:
      r.wrongKey.exitCode !== 0 &&
      r.wrongKey.stderr.includes("swarm could not be unlocked: invalid key provided"),
    unlockedWithTheKey: r.unlock.exitCode === 0 && r.swarmAfterUnlock === "active" && r.leaderAfterUnlock,
    withoutAutolockNoLock: r.plainSwarmAfterRestart === "active" && r.plainManagerCommand.exitCode === 0,
  };
}

export const autolock: Scenario = {
  name: "swarm-autolock",
  section: "SwarmKit features",
  claim:
    "On-disk encryption with optional passphrase: with --autolock a restarted manager stays locked until `docker swarm unlock` gets the key",
  defaultSeed: 1,
  run(seed) {
    const r = runAutolock(seed);
    const checks = autolockChecks(r);
    return checkedResult(
      this.name,
      seed,
      r.traceHash,
      checks,
      {
        disk: r.disk,
        swarmAfterRestart: r.swarmAfterRestart,
        managerCommandError: r.managerCommand.stderr.trim(),
        wrongKeyError: r.wrongKey.stderr.trim(),
        plainSwarmAfterRestart: r.plainSwarmAfterRestart,
      },
      `init --autolock, raft data and TLS key sealed on disk; after docker restart node2: "Swarm: ${r.swarmAfterRestart}", docker node ls says "${r.managerCommand.stderr
        .trim()
        .replace(/^Error response from daemon: /, "")
        .slice(
          0,
          40,
        )}…"; a wrong key is refused, ${r.unlockKey.slice(0, 12)}… unlocks it (Swarm: ${r.swarmAfterUnlock}); without --autolock the restart comes back "${r.plainSwarmAfterRestart}"`,
    );
  },
};
