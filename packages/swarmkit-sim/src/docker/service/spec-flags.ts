// `docker service create` and `docker service update` flags -> a ServiceSpec, as the Docker
// CLI builds it (cli/command/service/opts.go, update.go). Only flags the user gave change an
// update; create starts from SwarmKit's defaults.
import {
  isJobMode,
  type PortConfig,
  type ServiceMode,
  type ServiceSpec,
  type UpdateConfig,
} from "../../api/types";
import type {
  FlagValue,
  NetworkAttachment,
  ParsedCommand,
  PlacementPreference,
  PortConfig as CliPort,
} from "../../cli/grammar/types";
import { defaultServiceSpec } from "../../manager/orchestrator/service-defaults";
import type { MemoryStore } from "../../manager/store/memory-store";
import { lookupNetwork } from "./control-client";
import { normalizeImageName } from "../../engine/images";

export class FlagError extends Error {}

const str = (v: FlagValue | undefined): string =>
  typeof v === "string" ? v : v === undefined ? "" : String(v);
const num = (v: FlagValue | undefined): number => (typeof v === "number" ? v : Number(v ?? 0));
const list = (v: FlagValue | undefined): string[] =>
  Array.isArray(v) ? (v as string[]) : typeof v === "string" && v ? [v] : [];

function toPorts(v: FlagValue | undefined): PortConfig[] {
  return ((v as CliPort[] | undefined) ?? []).map((p) => {
    if (p.protocol === "sctp") throw new FlagError("sctp ports are not supported by the simulator");
    const out: PortConfig = { protocol: p.protocol, targetPort: p.targetPort, publishMode: p.publishMode };
    if (p.publishedPort) out.publishedPort = p.publishedPort;
    return out;
  });
}

function networksOf(store: MemoryStore, v: FlagValue | undefined): ServiceSpec["task"]["networks"] {
  return ((v as NetworkAttachment[] | undefined) ?? []).map((n) => {
    const net = lookupNetwork(store, n.target);
    return n.aliases.length ? { target: net.id, aliases: n.aliases } : { target: net.id };
  });
}

function prefs(v: FlagValue | undefined): { spreadDescriptor: string }[] {
  return ((v as PlacementPreference[] | undefined) ?? []).map((p) => ({ spreadDescriptor: p.descriptor }));
}

function labels(items: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of items) {
    const eq = l.indexOf("=");
    if (eq < 0) out[l] = "";
    else out[l.slice(0, eq)] = l.slice(eq + 1);
  }
  return out;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new FlagError(`invalid argument "${value}" for "--${flag}" flag`);
}

function applyUpdateConfig(cmd: ParsedCommand, prefix: "update" | "rollback", c: UpdateConfig): void {
  const f = cmd.flags;
  const has = (n: string) => cmd.changed.has(`${prefix}-${n}`);
  if (has("parallelism")) c.parallelism = num(f[`${prefix}-parallelism`]);
  if (has("delay")) c.delayMs = num(f[`${prefix}-delay`]);
  if (has("monitor")) c.monitorMs = num(f[`${prefix}-monitor`]);
  if (has("max-failure-ratio")) c.maxFailureRatio = num(f[`${prefix}-max-failure-ratio`]);
  if (has("order"))
    c.order = oneOf(`${prefix}-order`, str(f[`${prefix}-order`]), ["start-first", "stop-first"] as const);
  if (has("failure-action"))
    c.failureAction =
      prefix === "update"
        ? oneOf("update-failure-action", str(f["update-failure-action"]), [
            "pause",
            "continue",
            "rollback",
          ] as const)
        : oneOf("rollback-failure-action", str(f["rollback-failure-action"]), ["pause", "continue"] as const);
}

/** Flags shared by create and update that set a value outright. */
function applyCommon(cmd: ParsedCommand, s: ServiceSpec): void {
  const f = cmd.flags;
  const has = (n: string) => cmd.changed.has(n);
  const t = s.task;
  if (has("reserve-cpu")) t.resources.reservations.nanoCPUs = num(f["reserve-cpu"]);
  if (has("reserve-memory")) t.resources.reservations.memoryBytes = num(f["reserve-memory"]);
  if (has("limit-cpu")) t.resources.limits.nanoCPUs = num(f["limit-cpu"]);
  if (has("limit-memory")) t.resources.limits.memoryBytes = num(f["limit-memory"]);
  if (has("restart-condition"))
    t.restartPolicy.condition = oneOf("restart-condition", str(f["restart-condition"]), [
      "none",
      "on-failure",
      "any",
    ] as const);
  if (has("restart-delay")) t.restartPolicy.delayMs = num(f["restart-delay"]);
  if (has("restart-max-attempts")) t.restartPolicy.maxAttempts = num(f["restart-max-attempts"]);
  if (has("restart-window")) t.restartPolicy.windowMs = num(f["restart-window"]);
  if (has("stop-grace-period")) t.container.stopGracePeriodMs = num(f["stop-grace-period"]);
  if (has("hostname")) t.container.hostname = str(f.hostname);
  if (has("replicas-max-per-node")) t.placement.maxReplicas = num(f["replicas-max-per-node"]);
  if (has("endpoint-mode"))
    s.endpoint.mode = oneOf("endpoint-mode", str(f["endpoint-mode"]), ["vip", "dnsrr"] as const);
  applyUpdateConfig(cmd, "update", s.update);
  applyUpdateConfig(cmd, "rollback", s.rollback);
}

/** `docker service create [OPTIONS] IMAGE [COMMAND] [ARG...]`. */
export function specFromCreate(cmd: ParsedCommand, store: MemoryStore, defaultName: string): ServiceSpec {
  const f = cmd.flags;
  const [image, ...args] = cmd.args;
  const s = defaultServiceSpec(
    cmd.changed.has("name") ? str(f.name) : defaultName,
    normalizeImageName(image),
  );
  s.mode = modeFromCreate(cmd);
  // Jobs have no rolling updates (opts.go ToService; SwarmKit refuses an UpdateConfig on a job).
  if (
    isJobMode(s.mode) &&
    UPDATE_FLAGS.some((n) => cmd.changed.has(`update-${n}`) || cmd.changed.has(`rollback-${n}`))
  )
    throw new Error("update and rollback configuration is not supported for jobs");
  if (args.length) s.task.container.args = args;
  s.task.container.env = list(f.env);
  s.task.placement.constraints = list(f.constraint);
  s.task.placement.preferences = prefs(f["placement-pref"]);
  s.task.networks = networksOf(store, f.network);
  s.endpoint.ports = toPorts(f.publish);
  s.labels = labels(list(f.label));
  const cl = labels(list(f["container-label"]));
  if (Object.keys(cl).length) s.task.container.labels = cl;
  applyCommon(cmd, s);
  return s;
}

/** The flags that make an update (or rollback) config (opts.go updateConfig / rollbackConfig). */
const UPDATE_FLAGS = ["parallelism", "delay", "monitor", "failure-action", "max-failure-ratio", "order"];

/**
 * --mode with --replicas and --max-concurrent (opts.go ToServiceMode; the grammar has refused
 * the combinations the CLI refuses). A replicated job's defaults are the daemon's
 * (convert.ServiceSpecToGRPC): MaxConcurrent 1, or --replicas; TotalCompletions MaxConcurrent.
 */
function modeFromCreate(cmd: ParsedCommand): ServiceMode {
  const f = cmd.flags;
  const replicas = cmd.changed.has("replicas") ? num(f.replicas) : undefined;
  switch (cmd.changed.has("mode") ? str(f.mode) : "replicated") {
    case "global":
      return { kind: "global" };
    case "global-job":
      return { kind: "global-job" };
    case "replicated-job": {
      const maxConcurrent = cmd.changed.has("max-concurrent") ? num(f["max-concurrent"]) : (replicas ?? 1);
      return { kind: "replicated-job", maxConcurrent, totalCompletions: replicas ?? maxConcurrent };
    }
    default:
      return { kind: "replicated", replicas: replicas ?? 1 };
  }
}

function mergeEnv(env: string[], add: string[], rm: string[]): string[] {
  const key = (e: string) => (e.includes("=") ? e.slice(0, e.indexOf("=")) : e);
  const drop = new Set([...rm.map(key), ...add.map(key)]);
  return [...env.filter((e) => !drop.has(key(e))), ...add];
}

/** `docker service update [OPTIONS] SERVICE`: edits a copy of the current spec. */
export function specFromUpdate(cmd: ParsedCommand, store: MemoryStore, spec: ServiceSpec): ServiceSpec {
  const f = cmd.flags;
  const has = (n: string) => cmd.changed.has(n);
  const t = spec.task;
  if (has("image")) t.container.image = normalizeImageName(str(f.image));
  if (has("args")) t.container.args = list(f.args);
  if (has("env-add") || has("env-rm"))
    t.container.env = mergeEnv(t.container.env, list(f["env-add"]), list(f["env-rm"]));
  if (has("constraint-add") || has("constraint-rm")) {
    const rm = new Set(list(f["constraint-rm"]));
    t.placement.constraints = [
      ...t.placement.constraints.filter((c) => !rm.has(c)),
      ...list(f["constraint-add"]).filter((c) => !t.placement.constraints.includes(c)),
    ];
  }
  if (has("placement-pref-add") || has("placement-pref-rm")) {
    const rm = new Set(prefs(f["placement-pref-rm"]).map((p) => p.spreadDescriptor));
    t.placement.preferences = [
      ...t.placement.preferences.filter((p) => !rm.has(p.spreadDescriptor)),
      ...prefs(f["placement-pref-add"]),
    ];
  }
  if (has("network-add") || has("network-rm")) {
    const rm = new Set(list(f["network-rm"]).map((r) => lookupNetwork(store, r).id));
    t.networks = [...t.networks.filter((n) => !rm.has(n.target)), ...networksOf(store, f["network-add"])];
  }
  if (has("publish-add") || has("publish-rm")) {
    const rm = toPorts(f["publish-rm"]);
    const add = toPorts(f["publish-add"]);
    const same = (a: PortConfig, b: PortConfig) => a.targetPort === b.targetPort && a.protocol === b.protocol;
    spec.endpoint.ports = [
      ...spec.endpoint.ports.filter(
        (p) =>
          !rm.some((r) => same(p, r) || (r.publishedPort && r.publishedPort === p.publishedPort)) &&
          !add.some((a) => same(p, a)),
      ),
      ...add,
    ];
  }
  if (has("label-add") || has("label-rm")) {
    for (const k of list(f["label-rm"])) delete spec.labels[k];
    Object.assign(spec.labels, labels(list(f["label-add"])));
  }
  if (has("force")) t.forceUpdate++;
  // update.go updateReplicas: only a replicated service takes --replicas here.
  if (has("replicas")) {
    if (spec.mode.kind !== "replicated") throw new Error("replicas can only be used with replicated mode");
    spec.mode = { kind: "replicated", replicas: num(f.replicas) };
  }
  applyCommon(cmd, spec);
  return spec;
}
