// The fuzzed world: machines with Docker engines (a tiny image set), a swarm built by real init
// and joins, every manager's Raft member watched by the InvariantChecker (through the raft
// host's observer), every manager's authorization decisions seen, and the deliberate bugs that
// show each checker fires.
import { InvariantChecker, type RaftObserver } from "@swarm-sim/raft";
import {
  type AuthorizationEvent,
  buildSwarm,
  type BuiltSwarm,
  Engine,
  ImageRegistry,
  type ImageSpec,
  managersDirectory,
  raftConsensusFactory,
  servicesAttachOptions,
  setSecurityBugs,
  Sim,
  type StoreAction,
  type SwarmNode,
  TaskState,
  type api,
} from "@swarm-sim/swarmkit-sim";
import type { Coverage } from "./coverage";
import { type FuzzCluster, machineNames } from "./case";

/** busybox sleeping until stopped (exits at once on SIGTERM). */
const sleeper: ImageSpec = {
  name: "busybox:latest",
  command: ["sleep", "infinity"],
  create: () => ({
    handledSignals: ["SIGTERM"],
    start(ctx) {
      this.onSignal = () => ctx.exit(0);
    },
  }),
};
/** An image whose program dies a second after it starts (a failing update). */
const broken: ImageSpec = {
  name: "busybox:broken",
  command: ["crash"],
  create: () => ({
    start(ctx) {
      ctx.after(1000, () => ctx.exit(1));
    },
  }),
};

/** Deliberately broken components, each caught by one checker (see the fuzz tests). */
export interface FuzzBugs {
  /** Raft does not fsync before it sends (caught by the Raft invariants). */
  skipFsync?: boolean;
  /** Managers answer reads from their replica without ReadIndex (caught by linearizability). */
  readWithoutReadIndex?: boolean;
  /** The leader acknowledges label writes without replicating them (caught by linearizability / lost writes). */
  ackWithoutReplication?: boolean;
  /** A stopped task is recorded RUNNING again, a stale report accepted (caught by "task states only move forward"). */
  taskStateBack?: boolean;
  /** Newly assigned tasks are moved to a drained node (caught by the placement check). */
  placeOnDrained?: boolean;
  /** Each replicated task is created twice (caught by the replica bound). */
  duplicateTasks?: boolean;
  /** Managers serve manager-only methods to workers (caught by the authorization check). */
  workersServedManagerMethods?: boolean;
  /** The CA renews certificates with their old role, not the node's (caught by the certificate check). */
  caRenewsStaleRole?: boolean;
  /** The heal leaves crashed machines down (caught by the liveness check). */
  healLeavesCrashed?: boolean;
}

export interface FuzzWorld {
  sim: Sim;
  swarm: BuiltSwarm;
  checker: InvariantChecker;
  machines: string[];
  node(name: string): SwarmNode;
  /** Authorization violations seen so far (a worker served a manager-only method). */
  authViolations: string[];
}

/** Counts snapshots a member installs from its leader, then hands the Ready to the checker. */
class CountingObserver implements RaftObserver {
  constructor(
    private readonly inner: RaftObserver,
    private readonly coverage: Coverage,
  ) {}
  onReady(id: Parameters<RaftObserver["onReady"]>[0], rd: Parameters<RaftObserver["onReady"]>[1]): void {
    if (rd.snapshot && rd.snapshot.metadata.index > 0) this.coverage.hit("snapshotInstalled");
    this.inner.onReady(id, rd);
  }
  onRestart(
    id: Parameters<RaftObserver["onRestart"]>[0],
    st: Parameters<RaftObserver["onRestart"]>[1],
  ): void {
    this.inner.onRestart(id, st);
  }
}

/** A proxy of a manager's consensus with one method replaced. */
function replaceMethod<T extends object>(target: T, name: string, impl: unknown): T {
  return new Proxy(target, {
    get(t, prop) {
      if (prop === name) return impl;
      const v = Reflect.get(t, prop, t);
      return typeof v === "function" ? v.bind(t) : v;
    },
  });
}

/** The actions as a bug rewrites them before the store applies them (null: unchanged). */
function brokenActions(
  bugs: FuzzBugs,
  actions: StoreAction[],
  snapshot: () => { objects: { node: api.Node[] } },
): StoreAction[] | null {
  let changed = false;
  const out: StoreAction[] = [];
  for (const a of actions) {
    if (a.type !== "task" || a.op === "delete") {
      out.push(a);
      continue;
    }
    let t = a.object as api.Task;
    if (bugs.taskStateBack && a.op === "update" && t.status.state > TaskState.RUNNING) {
      // A stale RUNNING report accepted after the task stopped.
      out.push(
        { ...a, object: t },
        { ...a, object: { ...t, status: { ...t.status, state: TaskState.RUNNING } } },
      );
      changed = true;
      continue;
    }
    if (bugs.placeOnDrained && t.nodeId && t.status.state === TaskState.ASSIGNED) {
      const drained = snapshot().objects.node.find((n) => n.spec.availability === "drain");
      if (drained && drained.id !== t.nodeId) {
        t = { ...t, nodeId: drained.id };
        changed = true;
      }
    }
    out.push({ ...a, object: t });
    if (bugs.duplicateTasks && a.op === "create" && t.slot > 0) {
      out.push({ ...a, object: { ...t, id: `${t.id}dup` } });
      changed = true;
    }
  }
  return changed ? out : null;
}

export function buildFuzzWorld(
  seed: number,
  cluster: FuzzCluster,
  coverage: Coverage,
  bugs: FuzzBugs = {},
): FuzzWorld {
  const sim = new Sim({ seed });
  if (bugs.caRenewsStaleRole) setSecurityBugs(sim, { renewalKeepsPresentedRole: true });
  const checker = new InvariantChecker({ seed, traceTail: () => sim.trace.tail(30) });
  const observer = new CountingObserver(checker, coverage);
  const engines = new Map<string, Engine>();
  let built: BuiltSwarm | undefined;
  const directory = managersDirectory(() =>
    (built?.managers ?? [])
      .map((n) => n.manager)
      .filter((m): m is NonNullable<typeof m> => !!m && !m.isStopped),
  );
  const machines = machineNames(cluster);
  for (const name of machines) {
    const images = new ImageRegistry();
    images.register(sleeper);
    images.register(broken);
    engines.set(name, Engine.attach(sim.addMachine(name), { images }));
  }
  const authViolations: string[] = [];
  const onAuthorize = (e: AuthorizationEvent) => {
    if (e.granted && e.level === "managers" && e.peer?.role !== "swarm-manager" && authViolations.length < 10)
      authViolations.push(
        `a ${e.peer?.role ?? "anonymous"} (${e.peer?.nodeId}) was served a manager-only method`,
      );
  };
  const services = servicesAttachOptions(directory, (m) => engines.get(m.name));
  const swarm = buildSwarm(sim, {
    managers: cluster.managers,
    workers: cluster.workers,
    init: { autolock: cluster.autolock },
    workersJoinVia: "each",
    attach: {
      ...services,
      onAuthorize,
      managerBugs: { workersServedManagerMethods: bugs.workersServedManagerMethods },
      consensusFactory: (o) => {
        const events = {
          ...o.events,
          apply: (actions: StoreAction[]) =>
            o.events.apply(brokenActions(bugs, actions, o.snapshot as never) ?? actions),
        };
        let member = raftConsensusFactory({
          ...o,
          events,
          observer,
          snapshotInterval: cluster.snapshotInterval,
          logEntriesForSlowFollowers: cluster.keepEntries,
          bugs: bugs.skipFsync ? { skipFsync: true } : undefined,
        });
        if (bugs.readWithoutReadIndex)
          member = replaceMethod(member, "readIndex", (done: (err: Error | null) => void) => done(null));
        if (bugs.ackWithoutReplication) {
          const real = member;
          member = replaceMethod(
            member,
            "propose",
            (actions: StoreAction[], done: (err: Error | null) => void) =>
              real.isLeader() && actions.some((a) => a.type === "node" && a.op === "update")
                ? done(events.apply(actions))
                : real.propose(actions, done),
          );
        }
        return member;
      },
    },
  });
  built = swarm;
  const byName = new Map(swarm.all.map((n) => [n.machine.name, n]));
  return {
    sim,
    swarm,
    checker,
    machines,
    node: (name) => byName.get(name)!,
    authViolations,
  };
}
