// buildSwarm: forms a swarm on fresh machines by really running `swarm init` on the first
// manager and `swarm join` with the real tokens on every other machine (managers one after
// another, as raft adds one member at a time; workers all at once). For tests and benches.
import type { Machine } from "../kernel/machine";
import type { Sim } from "../kernel/sim";
import type { InitOptions, SwarmNode } from "../node/swarm-node";
import { type AttachOptions, attachSwarmNode } from "./attach";

export interface BuildSwarmOptions {
  managers: number;
  workers: number;
  /** Machine names (default: manager1.., worker1..). */
  managerName?: (i: number) => string;
  workerName?: (i: number) => string;
  attach?: AttachOptions;
  /** Simulated time allowed for everything to join (default: generous). */
  limitMs?: number;
  /**
   * Which manager each worker joins through: the first (default, as `docker swarm join` with
   * the address `swarm init` printed), or each manager in turn, so that workers keep their
   * sessions through followers too.
   */
  workersJoinVia?: "first" | "each";
  /** Options of the first manager's `swarm init` (e.g. autolock). */
  init?: InitOptions;
}

export interface BuiltSwarm {
  sim: Sim;
  managers: SwarmNode[];
  workers: SwarmNode[];
  all: SwarmNode[];
  tokens: { worker: string; manager: string };
  /** The first manager's advertise address (host:port). */
  joinAddr: string;
  /** The node whose manager leads now, if any. */
  leader(): SwarmNode | undefined;
}

export function buildSwarm(sim: Sim, o: BuildSwarmOptions): BuiltSwarm {
  if (o.managers < 1) throw new Error("buildSwarm: at least one manager");
  const mName = o.managerName ?? ((i) => `manager${i + 1}`);
  const wName = o.workerName ?? ((i) => `worker${i + 1}`);
  const attach = (name: string) =>
    attachSwarmNode(sim, sim.hasMachine(name) ? sim.machine(name) : sim.addMachine(name), o.attach);
  const limit = o.limitMs ?? 120_000;

  const first = attach(mName(0));
  const init = run<string>(sim, (done) => first.init(o.init ?? {}, done), limit);
  if (init.err) throw new Error(`buildSwarm: init failed: ${init.err.message}`);
  const store = first.manager!.store;
  const tokens = { ...store.cluster()!.rootCA.joinTokens };
  const joinAddr = first.advertiseAddr;

  const managers = [first];
  for (let i = 1; i < o.managers; i++) {
    const n = attach(mName(i));
    const r = run(sim, (done) => n.join({ token: tokens.manager, remoteAddr: joinAddr }, done), limit);
    if (r.err) throw new Error(`buildSwarm: manager ${mName(i)} failed to join: ${r.err.message}`);
    managers.push(n);
  }
  const workers: SwarmNode[] = [];
  let pending = 0;
  let failure: Error | null = null;
  for (let i = 0; i < o.workers; i++) {
    const n = attach(wName(i));
    workers.push(n);
    pending++;
    const via = o.workersJoinVia === "each" ? managers[i % managers.length].advertiseAddr : joinAddr;
    n.join({ token: tokens.worker, remoteAddr: via }, (err) => {
      pending--;
      if (err && !failure)
        failure = new Error(`buildSwarm: worker ${wName(i)} failed to join: ${err.message}`);
    });
  }
  if (pending > 0) sim.runUntil(() => pending === 0, limit);
  if (failure) throw failure;
  if (pending > 0) throw new Error(`buildSwarm: ${pending} workers did not join in time`);
  // Let the dispatcher's batched status writes land.
  sim.runFor(1000);
  const all = [...managers, ...workers];
  return {
    sim,
    managers,
    workers,
    all,
    tokens,
    joinAddr,
    leader: () => managers.find((m) => m.manager?.isLeader()),
  };
}

function run<T>(
  sim: Sim,
  op: (done: (err: Error | null, res?: T) => void) => void,
  limitMs: number,
): { err: Error | null; res?: T } {
  let out: { err: Error | null; res?: T } | undefined;
  op((err, res) => {
    out ??= { err, res };
  });
  if (!out) sim.runUntil(() => out !== undefined, limitMs);
  return out ?? { err: new Error("timed out") };
}

export type { Machine };
