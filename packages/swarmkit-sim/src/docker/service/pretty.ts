// `docker service inspect --pretty`: the CLI's human-friendly text of a service, laid out as
// its pretty template lays it out (tabs included): identity, mode, placement, update and
// rollback configuration, the container spec, resources, networks, endpoint mode and ports.
// Written over the service as the simulator models it (api/types).
import type { Service, UpdateConfig } from "../../api/types";
import { formatGoDuration } from "../../cli/format/duration";
import { bytesSize } from "../../cli/format/size";

function updateLines(title: string, orderTitle: string, c: UpdateConfig): string[] {
  const out = [`${title}:`, ` Parallelism:\t${c.parallelism}`];
  if (c.delayMs > 0) out.push(` Delay:\t\t${formatGoDuration(c.delayMs)}`);
  out.push(` On failure:\t${c.failureAction}`);
  if (c.monitorMs > 0) out.push(` Monitoring Period: ${formatGoDuration(c.monitorMs)}`);
  // The template aligns the order with the lines above it by hand: "Update order:" + 6 spaces.
  out.push(` Max failure ratio: ${c.maxFailureRatio}`, ` ${`${orderTitle}:`.padEnd(19)}${c.order}`);
  return out;
}

/** The pretty text of one service (its networks' names from `networkName`). */
export function prettyService(s: Service, networkName: (id: string) => string | undefined): string {
  const spec = s.spec;
  const t = spec.task;
  const out: string[] = ["", `ID:\t\t${s.id}`, `Name:\t\t${spec.name}`];
  const labels = Object.entries(spec.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (labels.length > 0) {
    out.push("Labels:");
    for (const [k, v] of labels) out.push(` ${k}${v ? `=${v}` : ""}`);
  }
  if (spec.mode.kind === "global") out.push("Service Mode:\tGlobal");
  else if (spec.mode.kind === "replicated")
    out.push("Service Mode:\tReplicated", ` Replicas:\t${spec.mode.replicas}`);
  // The CLI's template has no branch for jobs: a bare "Service Mode:".
  else out.push("Service Mode:");
  out.push("Placement:");
  if (t.placement.constraints.length > 0) out.push(` Constraints:\t[${t.placement.constraints.join(" ")}]`);
  if (t.placement.preferences.length > 0)
    out.push(
      ` Preferences:   [${t.placement.preferences.map((p) => `spread=${p.spreadDescriptor}`).join(" ")}]`,
    );
  if (t.placement.maxReplicas) out.push(` Max Replicas Per Node:   ${t.placement.maxReplicas}`);
  out.push(...updateLines("UpdateConfig", "Update order", spec.update));
  out.push(...updateLines("RollbackConfig", "Rollback order", spec.rollback));
  out.push("ContainerSpec:", ` Image:\t\t${t.container.image}`);
  if (t.container.args?.length) out.push(` Args:\t\t${t.container.args.map((a) => `${a} `).join("")}`);
  if (t.container.env.length) out.push(` Env:\t\t${t.container.env.map((e) => `${e} `).join("")}`);
  const r = t.resources;
  out.push("Resources:");
  if (r.reservations.nanoCPUs || r.reservations.memoryBytes) {
    out.push(" Reservations:");
    if (r.reservations.nanoCPUs) out.push(`  CPU:\t\t${r.reservations.nanoCPUs / 1e9}`);
    if (r.reservations.memoryBytes) out.push(`  Memory:\t${bytesSize(r.reservations.memoryBytes)}`);
  }
  if (r.limits.nanoCPUs || r.limits.memoryBytes) {
    out.push(" Limits:");
    if (r.limits.nanoCPUs) out.push(`  CPU:\t\t${r.limits.nanoCPUs / 1e9}`);
    if (r.limits.memoryBytes) out.push(`  Memory:\t${bytesSize(r.limits.memoryBytes)}`);
  }
  if (t.networks.length > 0)
    out.push(`Networks:${t.networks.map((n) => ` ${networkName(n.target) ?? n.target}`).join("")} `);
  out.push(`Endpoint Mode:\t${spec.endpoint.mode}`);
  if (spec.endpoint.ports.length > 0) {
    out.push("Ports:");
    for (const p of spec.endpoint.ports)
      out.push(
        ` PublishedPort = ${p.publishedPort ?? 0}`,
        `  Protocol = ${p.protocol}`,
        `  TargetPort = ${p.targetPort}`,
        `  PublishMode = ${p.publishMode}`,
      );
    out[out.length - 1] += " ";
  }
  return `${out.join("\n")}\n`;
}
