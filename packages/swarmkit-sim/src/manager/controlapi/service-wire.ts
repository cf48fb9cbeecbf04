// Decoding the control API's service and network requests (what gRPC's protobuf decoder does
// before SwarmKit's handlers run, validate.ts's first layer): every field the simulation reads
// must have its type, so that what a manager certificate's holder sends cannot put ill-typed
// data into the store (where the orchestrator, the scheduler and the agents would trip over
// it later). A wrong type is gRPC's `Internal: grpc: error unmarshalling request: ...`; an
// absent field is its zero value. Fields this simulation does not know are kept as they came
// (a newer client's). Counts must be whole and not negative; the replica count may be any
// uint64 (validateSpec then bounds what the simulator runs), the others at most 2^53.
import type { ServiceSpec } from "../../api/types";
import { GrpcError } from "../../transport/grpc-error";
import { decodeBody, isPortConfig, wrongType } from "../validate";
import type { NetworkOptions } from "./services";

type Fields = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is Fields => typeof v === "object" && v !== null && !Array.isArray(v);

function need<T>(v: unknown, field: string, ok: (x: unknown) => x is T): T {
  if (!ok(v)) throw wrongType(field, v);
  return v;
}

const isString = (v: unknown): v is string => typeof v === "string";
const isBool = (v: unknown): v is boolean => typeof v === "boolean";
const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
/** A uint64 this simulation can hold exactly. */
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isStringMap = (v: unknown): v is Record<string, string> =>
  isObject(v) && Object.values(v).every(isString);

function obj(m: Fields, key: string, field: string): Fields {
  return need(m[key], field, isObject);
}

/** An update or rollback config. */
function updateConfig(m: Fields, field: string): void {
  need(m.parallelism, `${field}.Parallelism`, isCount);
  need(m.delayMs, `${field}.Delay`, isFiniteNumber);
  need(m.failureAction, `${field}.FailureAction`, isString);
  need(m.monitorMs, `${field}.Monitor`, isFiniteNumber);
  need(m.maxFailureRatio, `${field}.MaxFailureRatio`, isFiniteNumber);
  need(m.order, `${field}.Order`, isString);
}

/** A ServiceSpec as the control API receives it: every field the simulation reads, typed. */
export function decodeServiceSpec(v: unknown): ServiceSpec {
  const spec = need(v, "Spec", isObject);
  need(spec.name, "Annotations.Name", isString);
  need(spec.labels, "Annotations.Labels", isStringMap);
  const task = obj(spec, "task", "Task");
  const c = obj(task, "container", "ContainerSpec");
  need(c.image, "ContainerSpec.Image", isString);
  need(c.env, "ContainerSpec.Env", isStrings);
  for (const k of ["command", "args"] as const)
    if (c[k] !== undefined) need(c[k], `ContainerSpec.${k === "command" ? "Command" : "Args"}`, isStrings);
  if (c.hostname !== undefined) need(c.hostname, "ContainerSpec.Hostname", isString);
  if (c.labels !== undefined) need(c.labels, "ContainerSpec.Labels", isStringMap);
  need(c.stopGracePeriodMs, "ContainerSpec.StopGracePeriod", isFiniteNumber);
  const res = obj(task, "resources", "Resources");
  for (const k of ["reservations", "limits"] as const) {
    const r = obj(res, k, `Resources.${k === "limits" ? "Limits" : "Reservations"}`);
    need(r.nanoCPUs, "NanoCPUs", isCount);
    need(r.memoryBytes, "MemoryBytes", isCount);
  }
  const rp = obj(task, "restartPolicy", "Restart");
  need(rp.condition, "Restart.Condition", isString);
  need(rp.delayMs, "Restart.Delay", isFiniteNumber);
  need(rp.maxAttempts, "Restart.MaxAttempts", isCount);
  need(rp.windowMs, "Restart.Window", isFiniteNumber);
  const pl = obj(task, "placement", "Placement");
  need(pl.constraints, "Placement.Constraints", isStrings);
  need(
    pl.preferences,
    "Placement.Preferences",
    (x): x is unknown[] => Array.isArray(x) && x.every((p) => isObject(p) && isString(p.spreadDescriptor)),
  );
  need(pl.maxReplicas, "Placement.MaxReplicas", isCount);
  need(
    task.networks,
    "TaskSpec.Networks",
    (x): x is unknown[] =>
      Array.isArray(x) &&
      x.every((n) => isObject(n) && isString(n.target) && (n.aliases === undefined || isStrings(n.aliases))),
  );
  need(task.forceUpdate, "TaskSpec.ForceUpdate", isCount);
  const mode = obj(spec, "mode", "Mode");
  need(
    mode.kind,
    "Mode",
    (x): x is string => x === "replicated" || x === "global" || x === "replicated-job" || x === "global-job",
  );
  // Any uint64 decodes (one beyond 2^53 only approximately); validateSpec bounds what runs.
  const uint = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;
  if (mode.replicas !== undefined) need(mode.replicas, "Replicated.Replicas", uint);
  if (mode.maxConcurrent !== undefined) need(mode.maxConcurrent, "ReplicatedJob.MaxConcurrent", uint);
  if (mode.totalCompletions !== undefined)
    need(mode.totalCompletions, "ReplicatedJob.TotalCompletions", uint);
  updateConfig(obj(spec, "update", "UpdateConfig"), "UpdateConfig");
  updateConfig(obj(spec, "rollback", "RollbackConfig"), "RollbackConfig");
  const ep = obj(spec, "endpoint", "EndpointSpec");
  need(ep.mode, "EndpointSpec.Mode", isString);
  need(ep.ports, "EndpointSpec.Ports", (x): x is unknown[] => Array.isArray(x) && x.every(isPortConfig));
  return spec as unknown as ServiceSpec;
}

/** CreateServiceRequest. */
export function parseCreateService(body: unknown): { spec: ServiceSpec } {
  const m = decodeBody(body);
  if (m.spec === undefined || m.spec === null) throw new GrpcError("InvalidArgument", "invalid argument");
  return { spec: decodeServiceSpec(m.spec) };
}

/** UpdateServiceRequest: the service, and its new spec or `rollback: "previous"`. */
export function parseUpdateService(body: unknown): {
  serviceId: string;
  spec?: ServiceSpec;
  rollback: boolean;
} {
  const m = decodeBody(body);
  const serviceId = m.serviceId ?? "";
  if (!isString(serviceId)) throw wrongType("ServiceID", serviceId);
  const rollback = m.rollback === "previous";
  if (m.rollback !== undefined && m.rollback !== null && !isString(m.rollback))
    throw wrongType("Rollback", m.rollback);
  if (serviceId === "" || (!rollback && (m.spec === undefined || m.spec === null)))
    throw new GrpcError("InvalidArgument", "invalid argument");
  return { serviceId, rollback, spec: rollback ? undefined : decodeServiceSpec(m.spec) };
}

/** RemoveServiceRequest / RemoveNetworkRequest: an ID. */
export function parseRemoveById(body: unknown, key: "serviceId" | "networkId"): string {
  const m = decodeBody(body);
  const id = m[key] ?? "";
  if (!isString(id)) throw wrongType(key === "serviceId" ? "ServiceID" : "NetworkID", id);
  if (id === "") throw new GrpcError("InvalidArgument", "invalid argument");
  return id;
}

/** CreateNetworkRequest, reduced to what `docker network create -d overlay` sets. */
export function parseCreateNetwork(body: unknown): NetworkOptions {
  const m = decodeBody(body);
  const name = m.name ?? "";
  if (!isString(name)) throw wrongType("Annotations.Name", name);
  if (name === "") throw new GrpcError("InvalidArgument", "invalid argument");
  const attachable = m.attachable ?? false;
  if (!isBool(attachable)) throw wrongType("Attachable", attachable);
  const labels = m.labels ?? {};
  if (!isStringMap(labels)) throw wrongType("Annotations.Labels", labels);
  const subnet = m.subnet ?? undefined;
  if (subnet !== undefined && !isString(subnet)) throw wrongType("IPAM.Configs.Subnet", subnet);
  return { name, attachable, labels, ...(subnet !== undefined ? { subnet } : {}) };
}
