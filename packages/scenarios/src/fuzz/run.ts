// One fuzz case, run: build the drawn cluster, run the workload while the faults run (safety:
// every check watches), then heal everything and require liveness within a bound (one
// leader, every node Ready with a valid certificate of its role, every service converged, a
// write accepted). Any violation, or an exception out of the simulation (a Raft invariant
// broken, or the simulator itself failing), makes the case fail.
import {
  checkOperations,
  describeLinearizability,
  InvariantViolation,
  type KvOperation,
  kvModel,
} from "@swarm-sim/raft";
import {
  ca,
  credentialsOf,
  RpcClient,
  RunningJob,
  type SwarmNode,
  serviceCheckers,
  splitHostPort,
  stealIdentity,
} from "@swarm-sim/swarmkit-sim";
import { type FuzzCase, LABEL_KEYS } from "./case";
import { Coverage, type CoverageCounter } from "./coverage";
import { FaultRunner } from "./faults";
import { quorumLostToOrphans } from "./orphans";
import { StoreWatch } from "./store-watch";
import { BROKEN_IMAGE, removalTried, settleJob, startDocker, Workload } from "./workload";
import { buildFuzzWorld, type FuzzBugs, type FuzzWorld } from "./world";

/** The run loop's step (simulated ms): ops start and samples are taken on these boundaries. */
const SLICE_MS = 250;
/** How long after the heal the cluster has to become live again (simulated ms). */
export const LIVENESS_BOUND_MS = 180_000;
/** How long quorum must have been lost to orphan members before the swarm is forced anew. */
const ORPHANED_FOR_MS = 20_000;

export interface FuzzResult {
  ok: boolean;
  violations: string[];
  coverage: Record<CoverageCounter, number>;
  /** Simulated seconds the case ran (build, safety, liveness). */
  simSeconds: number;
  traceHash: string;
  /** managers/workers/autolock, briefly. */
  cluster: string;
}

export interface FuzzRunOptions {
  /** Deliberately broken components (the tests that show each checker fires). */
  bugs?: FuzzBugs;
  /** Sees the world once the case has run (debugging, tests). */
  inspect?: (world: FuzzWorld) => void;
}

export function runFuzzCase(c: FuzzCase, opts: FuzzRunOptions = {}): FuzzResult {
  const bugs = opts.bugs ?? {};
  const coverage = new Coverage();
  const violations: string[] = [];
  let world: FuzzWorld | undefined;
  try {
    world = buildFuzzWorld(c.seed, c.cluster, coverage, bugs);
    violations.push(...runPhases(world, c, coverage, bugs));
  } catch (e) {
    if (e instanceof InvariantViolation) violations.push(`raft invariant: ${e.message.split("\n")[0]}`);
    else violations.push(`simulator error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
  if (world) coverage.hit("leaderChange", Math.max(0, world.checker.leadersByTerm().size - 1));
  if (world) opts.inspect?.(world);
  return {
    ok: violations.length === 0,
    violations,
    coverage: coverage.counts,
    simSeconds: world ? Math.round(world.sim.now() / 1000) : 0,
    traceHash: world ? world.sim.trace.hash() : "",
    cluster: `${c.cluster.managers}m/${c.cluster.workers}w${c.cluster.autolock ? "/autolock" : ""}`,
  };
}

function runPhases(w: FuzzWorld, c: FuzzCase, coverage: Coverage, bugs: FuzzBugs): string[] {
  const { sim } = w;
  const managers = w.machines.slice(0, c.cluster.managers);
  const watch = new StoreWatch(() => sim.now(), coverage);
  const certs = new Map<string, string>();
  const observe = () => {
    for (const n of w.swarm.all) {
      if (n.manager && !n.manager.isStopped) watch.watch(n.machine.name, n.manager);
      const cert = n.certificate;
      const before = certs.get(n.machine.name);
      if (before !== undefined && cert && cert !== before) coverage.hit("certificateRenewed");
      if (cert) certs.set(n.machine.name, cert);
    }
  };
  observe();
  const unlockKey = c.cluster.autolock ? fetchUnlockKey(w) : null;
  const faults = new FaultRunner(sim, w.machines, coverage, (m) => w.node(m).manager !== undefined);
  const workload = new Workload(
    {
      sim,
      machines: w.machines,
      node: w.node,
      coverage,
      networkFaulty: () => faults.networkFaulty(),
      probe: (worker, manager, done) => probe(worker, manager, done),
    },
    c.ops,
    sim.now(),
    managers,
  );
  faults.schedule(c.faults);
  const violations: string[] = [];
  const replicaBound: string[] = [];
  let quorumLost = false;
  const sampleLeader = () => {
    const leader = currentLeader(w);
    if (leader && replicaBound.length === 0)
      replicaBound.push(
        ...serviceCheckers.checkReplicaBound(leader.manager!.store, (s) => watch.scalingDown(s.id)),
      );
    if (hasQuorum(w)) {
      if (quorumLost && leader) {
        coverage.hit("quorumRegained");
        quorumLost = false;
      }
    } else if (!quorumLost) {
      quorumLost = true;
      coverage.hit("quorumLost");
    }
  };

  // Safety: the workload and the faults, every check watching.
  const horizon = sim.now() + c.horizonMs;
  while (sim.now() < horizon) {
    workload.startDue();
    runSlice(w, workload, SLICE_MS);
    observe();
    sampleLeader();
  }

  // Liveness: heal everything (bring back what crashed, resume what paused, unlock what is
  // locked), then one leader, every node Ready, every service converged, a write accepted.
  if (bugs.healLeavesCrashed) faults.healAll = healLeavingCrashed(faults);
  faults.healAll();
  const deadline = sim.now() + LIVENESS_BOUND_MS;
  const unlocking = new Set<SwarmNode>();
  let why = "";
  let live = false;
  let orphanedSince: number | undefined;
  let forcedNewCluster = false;
  while (sim.now() < deadline) {
    runSlice(w, workload, 1000);
    observe();
    sampleLeader();
    // Quorum lost for good to orphan members (see orphans.ts): what the docs tell an operator
    // to do, once the loss has lasted (a member restarting is not an orphan).
    const survivor = forcedNewCluster ? undefined : quorumLostToOrphans(w.swarm.all);
    orphanedSince = survivor ? (orphanedSince ?? sim.now()) : undefined;
    if (survivor && sim.now() - orphanedSince! >= ORPHANED_FOR_MS) {
      forcedNewCluster = true;
      coverage.hit("quorumLostToOrphans");
      runDocker(w, workload, survivor, ["swarm", "init", "--force-new-cluster"], undefined, () => {});
    }
    for (const name of w.machines) {
      const n = w.node(name);
      if (n.state !== "locked" || !unlockKey || unlocking.has(n)) continue;
      unlocking.add(n);
      runDocker(w, workload, n, ["swarm", "unlock"], unlockKey, (r) => {
        unlocking.delete(n);
        if (r.code === 0) coverage.hit("lockedManagerRestarted");
      });
    }
    why = notLive(w);
    if (why) continue;
    const leader = currentLeader(w)!;
    let wrote: boolean | undefined;
    let writeError = "no answer within 30 s";
    runDocker(
      w,
      workload,
      leader,
      // On the leader's own node: the label target may have been removed by the workload.
      ["node", "update", "--label-add", "live=1", leader.nodeId],
      undefined,
      (r) => {
        wrote = r.code === 0;
        writeError = r.err.trim().split("\n")[0];
      },
    );
    const until = sim.now() + 30_000;
    while (wrote === undefined && sim.now() < until) runSlice(w, workload, SLICE_MS);
    if (wrote) {
      live = true;
      break;
    }
    why = `a write through the leader failed (${writeError})`;
  }
  if (!live) violations.push(`liveness: not live ${LIVENESS_BOUND_MS / 1000} s after the heal: ${why}`);

  // Final reads through every live manager, then the history must be linearizable.
  let client = c.ops.length;
  for (const name of w.machines) {
    const n = w.node(name);
    if (n.manager && !n.manager.isStopped && n.machine.isUp()) workload.finalRead(n, client++);
  }
  const readsUntil = sim.now() + 60_000;
  while (!workload.idle && sim.now() < readsUntil) runSlice(w, workload, SLICE_MS);

  violations.push(...watch.violations, ...w.authViolations);
  violations.push(...replicaBound.map((v) => `replica bound: ${v}`));
  const history = settle(workload.record.history, watch.firstApplied);
  const lin = checkOperations(kvModel, history);
  if (lin.outcome !== "ok")
    violations.push(
      `linearizability (${lin.outcome}): ${describeLinearizability(kvModel, lin).split("\n")[0]}`,
    );
  const leader = currentLeader(w);
  if (leader && live) {
    const store = leader.manager!.store;
    for (const s of workload.record.createdServices.keys())
      if (!removalTried(workload.record, s) && !store.serviceByName(s))
        violations.push(`lost write: service ${s} was created (acknowledged) and never removed, but is gone`);
  }
  return violations;
}

/**
 * The history with every write of unknown outcome settled from what the managers applied (once
 * everything has healed, a write not applied never will be): one that was applied took effect
 * no later than its first application anywhere; one that was not never happened. This takes
 * nothing from the check and spares it a search over the orders of writes nobody heard back
 * from.
 */
function settle(history: KvOperation[], firstApplied: ReadonlyMap<string, number>): KvOperation[] {
  const out: KvOperation[] = [];
  for (const op of history) {
    if (op.return !== undefined || op.input.op !== "put") {
      out.push(op);
      continue;
    }
    const at = firstApplied.get(`${op.input.key}=${op.input.value}`);
    if (at !== undefined) out.push({ ...op, return: Math.max(at, op.call), output: null });
  }
  return out;
}

/** Why the cluster is not live yet ("" when it is, the write aside). */
function notLive(w: FuzzWorld): string {
  const leaders = w.swarm.all.filter((n) => n.machine.isUp() && n.manager?.isLeader());
  if (leaders.length !== 1) return `${leaders.length} leaders`;
  const store = leaders[0].manager!.store;
  for (const n of w.swarm.all) {
    // A node removed from the swarm (`node rm --force` while it was down) is refused by every
    // manager ("node ... was removed from swarm", SwarmKit's authorization, before raft sees
    // its messages), so it never hears of its removal from raft and campaigns alone until its
    // operator runs `docker swarm leave --force`, in SwarmKit too: it is not asked to know
    // the leader.
    if (!store.get("node", n.nodeId)) continue;
    if (trustsAnOldRoot(n, store.cluster()?.rootCA.caCertPem ?? "")) continue;
    if (n.manager && !n.manager.isStopped && n.machine.isUp() && !n.manager.hasLeader())
      return `${n.machine.name} knows no leader`;
  }
  const cluster = store.cluster();
  if (!cluster) return "no cluster object";
  const swarmNode = (id: string) => w.swarm.all.find((n) => n.nodeId === id);
  const rotation = cluster.rootCA.rootRotation;
  if (rotation) {
    // Converged as the reconciler judges it: the node reports a certificate from the new key.
    const newKey = ca.certificateInfo(rotation.caCertPem).publicKeyPem;
    const waitingFor = store
      .nodes()
      .filter((n) => n.description?.tlsInfo?.certIssuerPublicKey !== newKey)
      .filter((n) => !trustsAnOldRoot(swarmNode(n.id), cluster.rootCA.caCertPem));
    if (waitingFor.length > 0) return "the root CA rotation is in progress";
  }
  const managerAddrs = new Set(leaders[0].manager!.managers());
  for (const node of store.nodes()) {
    const name = node.description?.hostname ?? node.id;
    const sn = swarmNode(node.id);
    if (node.status.state !== "ready") {
      if (sn && knowsNoManager(sn, managerAddrs)) continue;
      if (sn && trustsAnOldRoot(sn, cluster.rootCA.caCertPem)) continue;
      return `${name} is ${node.status.state}`;
    }
    if (!sn) continue;
    const v = ca.verifyChain(sn.certificate, cluster.rootCA.caCertPem, w.sim.now(), {
      epochMs: w.sim.epochMs,
    });
    if (!v.ok) return `${name}'s certificate does not verify: ${v.error}`;
    const role = node.role === "manager" ? "swarm-manager" : "swarm-worker";
    if (v.info.nodeId !== node.id || v.info.role !== role || v.info.clusterId !== cluster.id)
      return `${name}'s certificate says ${v.info.nodeId}/${v.info.role}, the store ${node.id}/${role}`;
  }
  // A service whose image exits at once (a failing update that was not rolled back: a leader
  // change during the update loses its failure monitoring, in SwarmKit too) crash-loops for
  // good: it cannot converge, and is not asked to.
  const broken = new Set(
    store
      .services()
      .filter((s) => s.spec.task.container.image.startsWith(BROKEN_IMAGE))
      .map((s) => s.spec.name),
  );
  // With every node drained there is nowhere to run a replicated task: they stay pending (as
  // in SwarmKit), and the service is not asked to have its replicas. Nor to finish an update
  // under way: SwarmKit's updater waits, with no timeout, for each new task to come up
  // (update/updater.go updateTask: "Wait for the new task to come up"), and a pending task
  // never does.
  const placeable = store.nodes().some((n) => n.status.state === "ready" && n.spec.availability === "active");
  const unconverged = serviceCheckers
    .checkConverged(store)
    .filter((v) => !broken.has(v.slice(0, v.indexOf(":"))))
    .filter((v) => placeable || !/: (\d+\/\d+ running|update still (updating|rollback_started))$/.test(v));
  if (unconverged.length > 0) return `not converged: ${unconverged[0]}`;
  const onDrained = serviceCheckers.checkNoneOnDrained(store);
  if (onDrained.length > 0) return `drained: ${onDrained[0]}`;
  return "";
}

/**
 * Whether a node's agent has no manager left to ask: it runs no manager itself and none of the
 * managers it knows is one any more. SwarmKit's agent finds managers only through its list (the
 * join address, then the lists the dispatcher sends, persisted across restarts); a node cut off
 * while every manager it knew was demoted or removed stays Down in SwarmKit too, until it joins
 * again. The liveness phase does not ask it to come back.
 */
function knowsNoManager(n: SwarmNode, managers: ReadonlySet<string>): boolean {
  if (!n.agent || (n.manager && !n.manager.isStopped)) return false;
  return !n.agent.knownManagers.some((a) => managers.has(a));
}

/**
 * Whether a node still trusts a root the cluster has rotated away from: it was unreachable when
 * a root rotation finished, so it never heard the new root (a worker on its session, a manager
 * through raft), and it now refuses every manager's certificate (unknown authority) and cannot
 * reach one to hear it. In SwarmKit such a worker fetches the new root only when a certificate
 * renewal fails that way (ca/config.go updateRootThenUpdateCert), and nothing but its renewal
 * timer, at 50 to 80 % of the certificate's months of validity, starts one: it stays Down, and
 * a later rotation waits for it, far longer than the liveness bound (or until it is removed). A
 * manager has no such path at all (updateRootThenUpdateCert: "cannot update root CA since this
 * is not a worker"): cut off from raft, it campaigns alone. Neither is asked to come back.
 */
function trustsAnOldRoot(n: SwarmNode | undefined, currentRootPem: string): boolean {
  if (!n) return false;
  return n.trustRoot !== "" && n.trustRoot !== currentRootPem;
}

/** Whether a majority of the managers is up and can reach one another. */
function hasQuorum(w: FuzzWorld): boolean {
  const members = w.swarm.all.filter((n) => n.role === "manager");
  const up = members.filter((n) => n.machine.state === "running" && n.state === "active");
  const need = Math.floor(members.length / 2) + 1;
  const net = w.sim.net;
  for (const m of up) {
    const group = up.filter(
      (o) => net.canReach(m.machine.name, o.machine.name) && net.canReach(o.machine.name, m.machine.name),
    );
    if (group.length >= need) return true;
  }
  return false;
}

function currentLeader(w: FuzzWorld): SwarmNode | undefined {
  const leaders = w.swarm.all.filter((n) => n.machine.isUp() && n.manager?.isLeader());
  return leaders.length === 1 ? leaders[0] : undefined;
}

/** Runs the world for `ms`, resuming the workload's jobs whenever what they wait for comes. */
function runSlice(w: FuzzWorld, workload: Workload, ms: number): void {
  const end = w.sim.now() + ms;
  while (w.sim.now() < end) {
    const jobs = workload.running();
    if (jobs.length === 0) w.sim.runFor(end - w.sim.now());
    else RunningJob.advanceAll(w.sim, jobs, end - w.sim.now());
    workload.collect();
  }
}

function runDocker(
  w: FuzzWorld,
  workload: Workload,
  on: SwarmNode,
  argv: string[],
  stdin: string | undefined,
  then: (r: { code: number; out: string; err: string }) => void,
): void {
  const job = startDocker(w.sim, on, argv, then, stdin);
  if (!job) return;
  if (job.isDone) settleJob(job);
  else workload.running().push(job);
}

function fetchUnlockKey(w: FuzzWorld): string {
  let key = "";
  const job = startDocker(w.sim, w.swarm.managers[0], ["swarm", "unlock-key", "-q"], (r) => {
    key = r.out.trim();
  });
  if (job) {
    job.settle();
    settleJob(job);
  }
  if (!key) throw new Error("fuzz: could not read the unlock key");
  return key;
}

/**
 * A worker's certificate, with its key (read from the worker's disk, as its owner can), presented
 * straight to a manager's swarm port for a manager-only method. No check of the server's chain
 * (InsecureSkipVerify): the probe asks only what the manager answers.
 */
function probe(worker: SwarmNode, manager: SwarmNode, done: (denied: boolean) => void): void {
  const addr = splitHostPort(manager.advertiseAddr);
  const stolen = stealIdentity(worker.machine, { withKey: true });
  const creds = stolen.keyPem ? credentialsOf(stolen.chain, stolen.keyPem) : null;
  if (!addr || !creds) {
    done(false);
    return;
  }
  const client = new RpcClient(
    worker.machine,
    { address: addr.host, port: Number(addr.port) },
    { credentials: () => creds },
  );
  client.call("Control.ListNodes", {}, 5000, (err) => {
    client.close();
    done(err?.code === "PermissionDenied");
  });
}

function healLeavingCrashed(faults: FaultRunner): () => void {
  const real = faults.healAll.bind(faults);
  return () => {
    const crashed = (faults as unknown as { crashed: Set<string> }).crashed;
    crashed.clear();
    real();
  };
}

export { LABEL_KEYS };
