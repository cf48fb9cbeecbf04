// The control API's service and network operations (SwarmKit manager/controlapi/service.go,
// network.go), served by the leader (routes.ts: Control.CreateService, UpdateService,
// RemoveService, CreateNetwork, RemoveNetwork; a follower forwards them as it forwards every
// control call): it validates, reads the store and writes through raft. Error texts are
// SwarmKit's and dockerd's. The docker CLI's side is src/docker/service/control-client.ts.
import { isJobMode, type Network, type Service, type ServiceSpec } from "../../api/types";
import { newId } from "../../ca/identity";
import type { RandomSource } from "../../ca/random";
import { nextFreeSubnet } from "../allocator/ipam";
import { parseConstraints } from "../constraint/constraint";
import type { Proposer } from "../store/actions";
import { StoreError } from "../store/actions";
import type { MemoryStore } from "../store/memory-store";
import { WriteTx } from "../store/write-tx";
import { GrpcError } from "../../transport/grpc-error";

export interface ServiceControl {
  store: MemoryStore;
  proposer: Proposer;
  random: RandomSource;
  now(): number;
  /** Addresses of the simulated machines, which overlay subnets must avoid. */
  machineAddresses?: () => string[];
}

type Done<T> = (err: Error | null, res?: T) => void;

/** The most replicas a service may have in the simulator (see validateSpec). */
export const MAX_SIMULATED_REPLICAS = 100_000;

// Service names (controlapi validateAnnotations): letters and digits, with - and _ inside.
const NAME = /^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$/;

/** The service for a reference: full ID, then exact name, then unique ID prefix (dockerd getService). */
export function resolveService(store: MemoryStore, ref: string): Service {
  const byId = store.get("service", ref);
  if (byId) return byId;
  const byName = store.serviceByName(ref);
  if (byName) return byName;
  const prefixed = store.services().filter((s) => s.id.startsWith(ref));
  if (prefixed.length === 1) return prefixed[0];
  if (prefixed.length > 1)
    throw new GrpcError("InvalidArgument", `service ${ref} is ambiguous (${prefixed.length} matches found)`);
  throw new GrpcError("NotFound", `service ${ref} not found`);
}

/** The network for a reference: full ID, then exact name, then unique ID prefix (dockerd getNetwork). */
export function resolveNetwork(store: MemoryStore, ref: string): Network {
  const byId = store.get("network", ref);
  if (byId) return byId;
  const byName = store.networkByName(ref);
  if (byName) return byName;
  const prefixed = store.networks().filter((n) => n.id.startsWith(ref));
  if (prefixed.length === 1) return prefixed[0];
  if (prefixed.length > 1)
    throw new GrpcError("InvalidArgument", `network ${ref} is ambiguous (${prefixed.length} matches found)`);
  throw new GrpcError("NotFound", `network ${ref} not found`);
}

/** Checks a spec as controlapi validateServiceSpec does (the parts we model). */
export function validateSpec(store: MemoryStore, spec: ServiceSpec, selfId = ""): void {
  if (!NAME.test(spec.name) || spec.name.length > 63)
    throw new GrpcError("InvalidArgument", `name must be valid as a DNS name component`);
  validateTaskBasics(spec);
  // controlapi validateImage (a stack service with only a `build:` gets here with none).
  if (spec.task.container.image === "")
    throw new GrpcError("InvalidArgument", "ContainerSpec: image reference must be provided");
  const c = parseConstraints(spec.task.placement.constraints);
  if (!c.ok) throw new GrpcError("InvalidArgument", c.error);
  validateUpdateConfig(spec.update);
  validateUpdateConfig(spec.rollback);
  if (spec.mode.kind === "replicated" && spec.mode.replicas < 0)
    throw new GrpcError("InvalidArgument", "replicas must be >= 0");
  // Deviation: SwarmKit takes any uint64. Past this the simulation would spend its time making
  // tasks (each a store object, a container and its network endpoint on some engine).
  if (spec.mode.kind === "replicated" && spec.mode.replicas > MAX_SIMULATED_REPLICAS)
    throw new GrpcError(
      "InvalidArgument",
      `replicas: ${spec.mode.replicas} is more than the simulator runs (at most ${MAX_SIMULATED_REPLICAS} per service)`,
    );
  if (spec.mode.kind === "replicated-job" && spec.mode.totalCompletions > MAX_SIMULATED_REPLICAS)
    throw new GrpcError(
      "InvalidArgument",
      `total completions: ${spec.mode.totalCompletions} is more than the simulator runs (at most ${MAX_SIMULATED_REPLICAS} per job)`,
    );
  for (const n of spec.task.networks) {
    const net = store.get("network", n.target);
    if (!net) throw new GrpcError("NotFound", `network ${n.target} not found`);
    if (net.spec.ingress)
      throw new GrpcError(
        "InvalidArgument",
        `service cannot be explicitly attached to the ingress network "${net.spec.name}"`,
      );
  }
  // Published ingress ports are cluster-wide: one service per port (controlapi checkPortConflicts).
  for (const p of spec.endpoint.ports) {
    if (!p.publishedPort || p.publishMode !== "ingress") continue;
    for (const other of store.services()) {
      if (other.id === selfId) continue;
      const ports = other.endpoint?.ports ?? other.spec.endpoint.ports;
      if (
        ports.some(
          (q) =>
            q.publishMode === "ingress" && q.publishedPort === p.publishedPort && q.protocol === p.protocol,
        )
      )
        throw new GrpcError(
          "InvalidArgument",
          `port '${p.publishedPort}' is already in use by service '${other.spec.name}' (${other.id}) as an ingress port`,
        );
    }
  }
}

/** controlapi validateResourceRequirements and validateRestartPolicy, with SwarmKit's texts. */
function validateTaskBasics(spec: ServiceSpec): void {
  for (const r of [spec.task.resources.limits, spec.task.resources.reservations]) {
    if (r.nanoCPUs !== 0 && r.nanoCPUs < 1e6)
      throw new GrpcError(
        "InvalidArgument",
        `invalid cpu value ${goFloat(r.nanoCPUs / 1e9)}: Must be at least 0.001`,
      );
    if (r.memoryBytes !== 0 && r.memoryBytes < 4 * 1024 * 1024)
      throw new GrpcError("InvalidArgument", `invalid memory value ${r.memoryBytes}: Must be at least 4MiB`);
  }
  const rp = spec.task.restartPolicy;
  if (rp.delayMs < 0) throw new GrpcError("InvalidArgument", "TaskSpec: restart-delay cannot be negative");
  if (rp.windowMs < 0) throw new GrpcError("InvalidArgument", "TaskSpec: restart-window cannot be negative");
}

/** controlapi validateUpdate (for the update and the rollback config alike). */
function validateUpdateConfig(u: ServiceSpec["update"]): void {
  if (u.delayMs < 0) throw new GrpcError("InvalidArgument", "TaskSpec: update-delay cannot be negative");
  if (u.monitorMs < 0) throw new GrpcError("InvalidArgument", "TaskSpec: update-monitor cannot be negative");
  if (u.maxFailureRatio < 0 || u.maxFailureRatio > 1)
    throw new GrpcError(
      "InvalidArgument",
      "TaskSpec: update-maxfailureratio cannot be less than 0 or bigger than 1",
    );
}

/** Go's %g for the small numbers a cpu value takes here (an exponent below -4, two digits). */
function goFloat(n: number): string {
  if (n !== 0 && Math.abs(n) < 1e-4) return n.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  return String(n);
}

function propose(c: ServiceControl, tx: WriteTx, done: (err: Error | null) => void): void {
  c.proposer.propose(tx.actions, (err) => {
    done(
      err instanceof StoreError && err.code === "name-conflict"
        ? new GrpcError("AlreadyExists", err.message)
        : err,
    );
  });
}

export function createService(c: ServiceControl, spec: ServiceSpec, done: Done<Service>): void {
  try {
    validateSpec(c.store, spec);
    if (c.store.serviceByName(spec.name))
      throw new GrpcError("AlreadyExists", "name conflicts with an existing object");
  } catch (e) {
    done(e as Error);
    return;
  }
  const tx = new WriteTx(c.store, c.now());
  const s = tx.create("service", {
    id: newId(c.random),
    spec,
    specVersion: 1,
    // A job starts at iteration 0 (controlapi CreateService).
    ...(isJobMode(spec.mode) ? { jobStatus: { jobIteration: 0, lastExecution: c.now() } } : {}),
  });
  propose(c, tx, (err) => done(err, err ? undefined : s));
}

/**
 * Replaces a service's spec (docker service update / scale): the old spec is kept for
 * rollback and the update status is reset, so a paused update starts over. Every update of a
 * job starts its next iteration (controlapi UpdateService): `docker service update --force`
 * runs the job again.
 */
export function updateService(
  c: ServiceControl,
  ref: string,
  edit: (spec: ServiceSpec) => ServiceSpec,
  done: Done<Service>,
): void {
  let s: Service;
  let next: ServiceSpec;
  try {
    s = resolveService(c.store, ref);
    next = edit(structuredClone(s.spec) as ServiceSpec);
    // SwarmKit returns these as plain errors, which gRPC carries with code Unknown.
    if (next.mode.kind !== s.spec.mode.kind)
      throw new GrpcError("Unknown", "service mode change is not allowed");
    if (next.name !== s.spec.name) throw new GrpcError("Unknown", "renaming services is not supported");
    validateSpec(c.store, next, s.id);
  } catch (e) {
    done(e as Error);
    return;
  }
  const tx = new WriteTx(c.store, c.now());
  const updated = tx.update("service", s.id, (d) => {
    d.previousSpec = d.spec;
    d.spec = next;
    d.specVersion++;
    d.updateStatus = undefined;
    nextIteration(d, c.now());
  });
  propose(c, tx, (err) => done(err, err ? undefined : updated));
}

/** docker service rollback: back to the previous spec, as a rollback (its own config). */
export function rollbackService(c: ServiceControl, ref: string, done: Done<Service>): void {
  let s: Service;
  try {
    s = resolveService(c.store, ref);
    if (!s.previousSpec)
      throw new GrpcError("FailedPrecondition", `service ${s.id} does not have a previous spec`);
  } catch (e) {
    done(e as Error);
    return;
  }
  const tx = new WriteTx(c.store, c.now());
  const updated = tx.update("service", s.id, (d) => {
    const prev = d.previousSpec!;
    d.previousSpec = d.spec;
    d.spec = prev;
    d.specVersion++;
    nextIteration(d, c.now());
    d.updateStatus = {
      state: "rollback_started",
      startedAt: c.now(),
      message: "manually requested rollback",
    };
  });
  propose(c, tx, (err) => done(err, err ? undefined : updated));
}

/** A job's next iteration (nothing for other services). */
function nextIteration(d: Service, now: number): void {
  if (d.jobStatus) d.jobStatus = { jobIteration: d.jobStatus.jobIteration + 1, lastExecution: now };
}

export function removeService(c: ServiceControl, ref: string, done: Done<Service>): void {
  let s: Service;
  try {
    s = resolveService(c.store, ref);
  } catch (e) {
    done(e as Error);
    return;
  }
  const tx = new WriteTx(c.store, c.now());
  tx.delete("service", s.id);
  propose(c, tx, (err) => done(err, s));
}

export interface NetworkOptions {
  name: string;
  attachable: boolean;
  labels: Record<string, string>;
  subnet?: string;
}

export function createNetwork(c: ServiceControl, o: NetworkOptions, done: Done<Network>): void {
  if (c.store.networkByName(o.name)) {
    done(new GrpcError("AlreadyExists", `network with name ${o.name} already exists`));
    return;
  }
  let subnet: string;
  try {
    subnet =
      o.subnet ??
      nextFreeSubnet(
        c.store.networks().map((n) => n.spec.ipam.subnet),
        c.machineAddresses?.() ?? [],
      );
  } catch (e) {
    done(new GrpcError("ResourceExhausted", (e as Error).message));
    return;
  }
  const tx = new WriteTx(c.store, c.now());
  const n = tx.create("network", {
    id: newId(c.random),
    spec: {
      name: o.name,
      driver: "overlay",
      labels: o.labels,
      attachable: o.attachable,
      ingress: false,
      ipam: { subnet },
    },
  });
  propose(c, tx, (err) => done(err, err ? undefined : n));
}

/** A service whose tasks attach to the network, if any (what keeps a network from removal). */
export function serviceOnNetwork(store: MemoryStore, networkId: string): Service | undefined {
  return store.services().find((s) => s.spec.task.networks.some((a) => a.target === networkId));
}

export function removeNetwork(c: ServiceControl, ref: string, done: Done<Network>): void {
  let n: Network;
  try {
    n = resolveNetwork(c.store, ref);
    const user = serviceOnNetwork(c.store, n.id);
    if (user) throw new GrpcError("FailedPrecondition", `network ${n.id} is in use by service ${user.id}`);
  } catch (e) {
    done(e as Error);
    return;
  }
  const tx = new WriteTx(c.store, c.now());
  tx.delete("network", n.id);
  propose(c, tx, (err) => done(err, n));
}
