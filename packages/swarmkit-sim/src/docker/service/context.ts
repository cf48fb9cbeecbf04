// How a service command reaches the cluster from the node it runs on: dockerd's checks (not
// in a swarm, a worker, locked, manager not ready), then the manager's replicated store for
// reads and the control API (served by the leader) for writes.
import type { Random } from "../../kernel/random";
import type { Machine } from "../../kernel/machine";
import type { MemoryStore } from "../../manager/store/memory-store";
import type { Job } from "../../cli/job";
import { CONTROL } from "../../api/methods";
import { request, type SwarmCommandContext } from "../io";
import type { ServiceControl } from "./control-client";

const streams = new WeakMap<Machine, Random>();

/** One ID stream per machine's CLI, so IDs replay from the seed and never repeat. */
export function cliRandom(ctx: SwarmCommandContext): Random {
  let r = streams.get(ctx.machine);
  if (!r) streams.set(ctx.machine, (r = ctx.sim.random.fork(`services-cli/${ctx.machine.name}`)));
  return r;
}

/**
 * The control API of this node's manager. Reads come from its replica, but only once the
 * leader answers (every control call is served by the leader in SwarmKit): without a leader
 * the command fails as Docker's does.
 */
export function* controlOf(ctx: SwarmCommandContext): Job<ServiceControl | Error> {
  const err = ctx.swarm.controlError();
  if (err) return err;
  const probe = yield* request((done) => ctx.swarm.control(CONTROL.getCluster, {}, done));
  if (probe.err) return probe.err;
  const m = ctx.swarm.manager!;
  return {
    store: m.store,
    call: (method, req, done) => ctx.swarm.control(method, req, done),
    random: cliRandom(ctx),
    now: () => ctx.sim.now(),
  };
}

/** The store of this node's manager, while it has one. */
export function storeOf(ctx: SwarmCommandContext): () => MemoryStore | undefined {
  return () => ctx.swarm.manager?.store;
}
