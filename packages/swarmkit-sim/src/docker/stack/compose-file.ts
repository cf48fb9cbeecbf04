// A Compose file as `docker stack deploy` reads it (cli/cli/compose/convert): each service
// becomes a swarm service `<stack>_<name>` labelled com.docker.stack.namespace=<stack>, on the
// stack's networks (`<stack>_default` unless the file says otherwise) with its short name as a
// network alias, so services find each other by the names the file uses.
import { parse } from "yaml";
import type { PortConfig, ServiceSpec, UpdateConfig } from "../../api/types";
import { ramInBytes } from "../../cli/grammar/docker-opts";
import { parseGoDuration } from "../../cli/grammar/go-values";
import { normalizeImageName } from "../../engine/images";
import { defaultServiceSpec } from "../../manager/orchestrator/service-defaults";

export const NAMESPACE_LABEL = "com.docker.stack.namespace";

export interface StackNetwork {
  /** Full name: `<stack>_<key>`, or the external name. */
  name: string;
  key: string;
  external: boolean;
  labels: Record<string, string>;
}

export interface StackPlan {
  networks: StackNetwork[];
  /** Service specs whose task networks hold network *names* (resolved to IDs at deploy). */
  services: ServiceSpec[];
  /** Service keys a swarm ignores (`build`, `links`, ...), sorted: the CLI warns about them. */
  unsupported: string[];
  /** Deprecated keys with the CLI's explanation ("container_name: Setting the ..."), sorted. */
  deprecated: string[];
}

/** Service keys `docker stack deploy` ignores (docker/cli compose/types UnsupportedProperties). */
const UNSUPPORTED = [
  "build",
  "cgroup_parent",
  "devices",
  "domainname",
  "external_links",
  "ipc",
  "links",
  "mac_address",
  "network_mode",
  "pid",
  "privileged",
  "restart",
  "security_opt",
  "shm_size",
  "userns_mode",
];

const DEPRECATED: Record<string, string> = {
  container_name: "Setting the container name is not supported.",
  expose:
    "Exposing ports is unnecessary - services on the same network can access each other's containers on any port.",
};

/**
 * Variable substitution as the compose loader does it in string values: `$VAR`, `${VAR}`,
 * `${VAR:-default}` (unset or empty), `${VAR-default}` (unset), `${VAR:?msg}` / `${VAR?msg}`
 * (an error), and `$$` for a literal `$`. An unset variable without a default is empty.
 */
export function interpolate(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(
    /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (whole, braced: string | undefined, op: string | undefined, arg: string | undefined, bare) => {
      if (whole === "$$") return "$";
      const name = braced ?? (bare as string);
      const value = Object.hasOwn(env, name) ? env[name] : undefined;
      const missing = op?.startsWith(":") ? value === undefined || value === "" : value === undefined;
      if (op === undefined || !missing) return value ?? "";
      if (op.endsWith("-")) return arg ?? "";
      throw new ComposeError(`required variable ${name} is missing a value: ${arg ?? ""}`);
    },
  );
}

/** Interpolates every string value (not the keys) of a parsed document. */
function interpolateAll(v: unknown, env: Readonly<Record<string, string>>): unknown {
  if (typeof v === "string") return interpolate(v, env);
  if (Array.isArray(v)) return v.map((x) => interpolateAll(x, env));
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = interpolateAll(x, env);
    return out;
  }
  return v;
}

/**
 * A compose file as the CLI loads it: the YAML parsed, the variables substituted. Throws a
 * ComposeError with the loader's message when it is not a compose document.
 */
export function loadComposeDocument(text: string, env: Readonly<Record<string, string>> = {}): Obj {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new ComposeError(`yaml: ${(e as Error).message.split("\n")[0]}`);
  }
  if (!isObj(doc) || !isObj(doc.services)) throw new ComposeError("Top-level object must be a mapping");
  return interpolateAll(doc, env) as Obj;
}

export class ComposeError extends Error {}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function duration(v: unknown, what: string): number {
  if (typeof v === "number") return v * 1000;
  const r = parseGoDuration(String(v));
  if (!r.ok) throw new ComposeError(`${what}: ${r.error}`);
  return r.value;
}

/** A size as the CLI reads it from a compose file (go-units RAMInBytes: "512M", "1.5g"). */
function bytes(v: unknown): number {
  if (typeof v === "number") return v;
  const r = ramInBytes(String(v).trim());
  if (typeof r === "string") throw new ComposeError(r);
  return r;
}

function keyValues(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (isObj(v)) return Object.entries(v).map(([k, x]) => (x === null || x === undefined ? k : `${k}=${x}`));
  return [];
}

function labelsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of keyValues(v)) {
    const eq = kv.indexOf("=");
    out[eq < 0 ? kv : kv.slice(0, eq)] = eq < 0 ? "" : kv.slice(eq + 1);
  }
  return out;
}

function words(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map(String);
  return String(v).split(/\s+/).filter(Boolean);
}

function ports(v: unknown): PortConfig[] {
  if (!Array.isArray(v)) return [];
  return v.map((p) => {
    if (isObj(p)) {
      const out: PortConfig = {
        protocol: (p.protocol as "tcp" | "udp") ?? "tcp",
        targetPort: Number(p.target),
        publishMode: p.mode === "host" ? "host" : "ingress",
      };
      if (p.published !== undefined) out.publishedPort = Number(p.published);
      return out;
    }
    const text = String(p);
    const [main, proto] = text.split("/");
    const parts = main.split(":");
    const target = Number(parts.at(-1));
    const published = parts.length >= 2 ? Number(parts.at(-2)) : undefined;
    if (!Number.isInteger(target)) throw new ComposeError(`invalid port: ${text}`);
    const out: PortConfig = {
      protocol: (proto as "tcp" | "udp") ?? "tcp",
      targetPort: target,
      publishMode: "ingress",
    };
    if (published) out.publishedPort = published;
    return out;
  });
}

function updateConfig(v: unknown, base: UpdateConfig): UpdateConfig {
  if (!isObj(v)) return base;
  const c = { ...base };
  if (v.parallelism !== undefined) c.parallelism = Number(v.parallelism);
  if (v.delay !== undefined) c.delayMs = duration(v.delay, "delay");
  if (v.monitor !== undefined) c.monitorMs = duration(v.monitor, "monitor");
  if (v.max_failure_ratio !== undefined) c.maxFailureRatio = Number(v.max_failure_ratio);
  if (v.failure_action !== undefined)
    c.failureAction = String(v.failure_action) as UpdateConfig["failureAction"];
  if (v.order !== undefined) c.order = String(v.order) as UpdateConfig["order"];
  return c;
}

export function parseCompose(
  text: string,
  stack: string,
  env: Readonly<Record<string, string>> = {},
): StackPlan {
  const doc = loadComposeDocument(text, env) as Obj & { services: Obj };
  const unsupported = new Set<string>();
  const deprecated = new Set<string>();
  const declared = isObj(doc.networks) ? doc.networks : {};
  const networks = new Map<string, StackNetwork>();
  const network = (key: string): StackNetwork => {
    let n = networks.get(key);
    if (n) return n;
    const d = declared[key];
    const external = isObj(d) && !!d.external;
    const name = external ? String((isObj(d) && d.name) || key) : `${stack}_${key}`;
    n = {
      key,
      name,
      external,
      labels: { [NAMESPACE_LABEL]: stack, ...(isObj(d) ? labelsOf(d.labels) : {}) },
    };
    networks.set(key, n);
    return n;
  };
  const services: ServiceSpec[] = [];
  for (const [key, raw] of Object.entries(doc.services)) {
    if (!isObj(raw)) throw new ComposeError(`service ${key} must be a mapping`);
    if (!raw.image && !raw.build)
      throw new ComposeError(
        `Service ${key} has neither an image nor a build context specified. At least one must be provided.`,
      );
    for (const p of UNSUPPORTED) if (p in raw) unsupported.add(p);
    for (const p of Object.keys(DEPRECATED)) if (p in raw) deprecated.add(`${p}: ${DEPRECATED[p]}`);
    // A build without an image leaves the image empty: a swarm builds nothing, and the
    // daemon rejects the service ("image reference must be provided").
    const s = defaultServiceSpec(`${stack}_${key}`, raw.image ? normalizeImageName(String(raw.image)) : "");
    s.labels = { [NAMESPACE_LABEL]: stack };
    const t = s.task;
    t.container.labels = { [NAMESPACE_LABEL]: stack };
    const args = words(raw.command);
    if (args) t.container.args = args;
    t.container.env = keyValues(raw.environment);
    if (raw.hostname) t.container.hostname = String(raw.hostname);
    if (raw.stop_grace_period !== undefined)
      t.container.stopGracePeriodMs = duration(raw.stop_grace_period, "stop_grace_period");
    const netKeys = Array.isArray(raw.networks)
      ? raw.networks.map(String)
      : isObj(raw.networks)
        ? Object.keys(raw.networks)
        : ["default"];
    t.networks = netKeys.map((k) => {
      const extra =
        isObj(raw.networks) && isObj(raw.networks[k])
          ? ((raw.networks[k] as Obj).aliases as string[] | undefined)
          : undefined;
      return { target: network(k).name, aliases: [key, ...(extra ?? [])] };
    });
    s.endpoint.ports = ports(raw.ports);
    const d = isObj(raw.deploy) ? raw.deploy : {};
    const replicas = d.replicas === undefined ? undefined : Number(d.replicas);
    if (d.mode === "global") s.mode = { kind: "global" };
    else if (d.mode === "global-job") s.mode = { kind: "global-job" };
    else if (d.mode === "replicated-job")
      // convert.convertDeployMode: both counts are `replicas` (the daemon's defaults: 1).
      s.mode = { kind: "replicated-job", maxConcurrent: replicas ?? 1, totalCompletions: replicas ?? 1 };
    else if (replicas !== undefined) s.mode = { kind: "replicated", replicas };
    if (d.endpoint_mode) s.endpoint.mode = String(d.endpoint_mode) as "vip" | "dnsrr";
    if (d.labels) Object.assign(s.labels, labelsOf(d.labels));
    if (isObj(d.placement)) {
      t.placement.constraints = keyValues(d.placement.constraints);
      if (Array.isArray(d.placement.preferences))
        t.placement.preferences = d.placement.preferences
          .filter(isObj)
          .map((p) => ({ spreadDescriptor: String(p.spread) }));
      if (d.placement.max_replicas_per_node !== undefined)
        t.placement.maxReplicas = Number(d.placement.max_replicas_per_node);
    }
    if (isObj(d.resources)) {
      const r = d.resources;
      if (isObj(r.reservations)) {
        if (r.reservations.cpus !== undefined)
          t.resources.reservations.nanoCPUs = Math.round(Number(r.reservations.cpus) * 1e9);
        if (r.reservations.memory !== undefined)
          t.resources.reservations.memoryBytes = bytes(r.reservations.memory);
      }
      if (isObj(r.limits)) {
        if (r.limits.cpus !== undefined)
          t.resources.limits.nanoCPUs = Math.round(Number(r.limits.cpus) * 1e9);
        if (r.limits.memory !== undefined) t.resources.limits.memoryBytes = bytes(r.limits.memory);
      }
    }
    if (isObj(d.restart_policy)) {
      const r = d.restart_policy;
      if (r.condition !== undefined)
        t.restartPolicy.condition = String(r.condition) as "none" | "on-failure" | "any";
      if (r.delay !== undefined) t.restartPolicy.delayMs = duration(r.delay, "delay");
      if (r.max_attempts !== undefined) t.restartPolicy.maxAttempts = Number(r.max_attempts);
      if (r.window !== undefined) t.restartPolicy.windowMs = duration(r.window, "window");
    }
    s.update = updateConfig(d.update_config, s.update);
    s.rollback = updateConfig(d.rollback_config, s.rollback);
    services.push(s);
  }
  return {
    networks: [...networks.values()],
    services,
    unsupported: [...unsupported].sort(),
    deprecated: [...deprecated].sort(),
  };
}
