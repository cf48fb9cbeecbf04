// `docker node ls|inspect|promote|demote|rm|update|ps` (cli/command/node/*.go; SWARMKIT.md
// §6.1, §6.5). Every call goes through this node's manager to the leader.
import type { Node, NodeRole, Task } from "../../api/types";
import { taskStateName } from "../../api/types";
import { humanSize } from "../../cli/format/size";
import { tabwriter } from "../../cli/format/tabwriter";
import { naturalCompare } from "../../cli/format/natural-sort";
import { prettyPrint, truncateId } from "../../cli/format/text";
import { taskStateAgo } from "../../cli/format/duration";
import type { ParsedCommand } from "../../cli/grammar/types";
import { CONTROL } from "../../manager/methods";
import type { NodeSpecPatch } from "../../manager/controlapi/nodes";
import { DaemonError } from "../../node/errors";
import { fail, flagBool, flagString, type SwarmCommandContext, type SwarmIO, waitFor } from "./io";
import { nodeToApi } from "./node-json";

type Handler = (cmd: ParsedCommand, io: SwarmIO, ctx: SwarmCommandContext) => number;

function listNodes(ctx: SwarmCommandContext): { err: Error | null; nodes: Node[] } {
  const r = waitFor<{ nodes: Node[] }>(ctx.sim, (done) => ctx.swarm.control(CONTROL.listNodes, {}, done));
  return { err: r.err, nodes: r.res?.nodes ?? [] };
}

function getNode(ctx: SwarmCommandContext, ref: string): { err: Error | null; node?: Node } {
  const r = waitFor<{ node: Node }>(ctx.sim, (done) =>
    ctx.swarm.control(CONTROL.getNode, { ref: ref === "self" ? ctx.swarm.nodeId : ref }, done),
  );
  return { err: r.err, node: r.res?.node };
}

function hostname(n: Node): string {
  return n.description?.hostname ?? "";
}

function managerStatus(n: Node): string {
  if (!n.managerStatus) return "";
  if (n.managerStatus.leader) return "Leader";
  return prettyPrint(n.managerStatus.reachability);
}

/** The filters `docker node ls -f` accepts (dockerd's acceptedNodeFilterTags). */
const NODE_FILTERS = new Set(["id", "label", "node.label", "membership", "name", "role"]);

/** Applies -f filters as SwarmKit's ListNodes does: values of one key OR'ed, keys AND'ed. */
function filterNodes(nodes: Node[], filters: string[]): Node[] | Error {
  const by = new Map<string, string[]>();
  for (const f of filters) {
    const i = f.indexOf("=");
    const k = f.slice(0, i);
    if (!NODE_FILTERS.has(k)) return new DaemonError(`invalid filter '${k}'`);
    by.set(k, [...(by.get(k) ?? []), f.slice(i + 1)]);
  }
  const labelMatch = (labels: Record<string, string>, want: string) => {
    const j = want.indexOf("=");
    return j < 0 ? want in labels : labels[want.slice(0, j)] === want.slice(j + 1);
  };
  return nodes.filter((n) => {
    for (const [k, vals] of by) {
      const ok = vals.some((v) => {
        switch (k) {
          case "id":
            return n.id.startsWith(v);
          case "name":
            return hostname(n) === v || n.spec.name === v;
          case "role":
            return n.role === v;
          case "membership":
            return v === "accepted";
          case "label":
            return labelMatch(n.description?.engine.labels ?? {}, v);
          default:
            return labelMatch(n.spec.labels, v);
        }
      });
      if (!ok) return false;
    }
    return true;
  });
}

/** A `--format` template with the node fields the CLI knows ({{.ID}}, {{.Hostname}}, ...). */
function formatNode(template: string, n: Node, self: boolean): string {
  const fields: Record<string, string> = {
    ID: n.id,
    Self: String(self),
    Hostname: hostname(n),
    Status: prettyPrint(n.status.state),
    Availability: prettyPrint(n.spec.availability),
    ManagerStatus: managerStatus(n),
    EngineVersion: n.description?.engine.engineVersion ?? "",
    TLSStatus: "Ready",
  };
  return template.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (m, f: string) => fields[f] ?? m).replace(/\\t/g, "\t");
}

export const nodeLs: Handler = (cmd, io, ctx) => {
  const listed = listNodes(ctx);
  if (listed.err) return fail(io, listed.err);
  const filters = cmd.flags.filter;
  const nodes = filterNodes(listed.nodes, Array.isArray(filters) ? (filters as string[]) : []);
  if (nodes instanceof Error) return fail(io, nodes);
  const sorted = [...nodes].sort((a, b) => naturalCompare(hostname(a), hostname(b)));
  if (flagBool(cmd, "quiet")) {
    for (const n of sorted) io.out(`${n.id}\n`);
    return 0;
  }
  const self = ctx.swarm.nodeId;
  const format = flagString(cmd, "format");
  if (format && format !== "table") {
    const table = format.startsWith("table ");
    const t = table ? format.slice(6) : format;
    if (!table) {
      for (const n of sorted) io.out(`${formatNode(t, n, n.id === self)}\n`);
      return 0;
    }
    const header = t
      .replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_m, f: string) => HEADERS[f] ?? f.toUpperCase())
      .replace(/\\t/g, "\t");
    const lines = [header, ...sorted.map((n) => formatNode(t, n, n.id === self))];
    io.out(
      tabwriter(
        lines.map((l) => l.split("\t")),
        { minwidth: 10, padding: 3 },
      ),
    );
    return 0;
  }
  const rows = [["ID ", "HOSTNAME", "STATUS", "AVAILABILITY", "MANAGER STATUS", "ENGINE VERSION"]];
  for (const n of sorted) {
    rows.push([
      `${n.id} ${n.id === self ? "*" : " "}`,
      hostname(n),
      prettyPrint(n.status.state),
      prettyPrint(n.spec.availability),
      managerStatus(n),
      n.description?.engine.engineVersion ?? "",
    ]);
  }
  io.out(tabwriter(rows, { minwidth: 10, padding: 3 }));
  return 0;
};

const HEADERS: Record<string, string> = {
  ID: "ID",
  Self: "",
  Hostname: "HOSTNAME",
  Status: "STATUS",
  Availability: "AVAILABILITY",
  ManagerStatus: "MANAGER STATUS",
  EngineVersion: "ENGINE VERSION",
  TLSStatus: "TLS STATUS",
};

export const nodeInspect: Handler = (cmd, io, ctx) => {
  const found: Node[] = [];
  for (const ref of cmd.args) {
    const r = getNode(ctx, ref);
    if (r.err) return fail(io, r.err);
    found.push(r.node!);
  }
  if (flagBool(cmd, "pretty")) {
    io.out(found.map((n) => prettyNode(n, ctx)).join("\n\n\n"));
    io.out("\n");
    return 0;
  }
  io.out(
    `${JSON.stringify(
      found.map((n) => nodeToApi(n, ctx.sim.epochMs)),
      null,
      4,
    )}\n`,
  );
  return 0;
};

function prettyNode(n: Node, ctx: SwarmCommandContext): string {
  const l: string[] = [`ID:\t\t\t${n.id}`];
  const labels = Object.entries(n.spec.labels);
  if (labels.length > 0) {
    l.push("Labels:");
    for (const [k, v] of labels.sort()) l.push(` - ${k}${v ? `=${v}` : ""}`);
  }
  l.push(`Hostname:              \t${hostname(n)}`);
  l.push(
    `Joined at:             \t${new Date(ctx.sim.epochMs + n.createdAt).toISOString().replace("T", " ").replace("Z", " +0000 utc")}`,
  );
  l.push("Status:");
  l.push(` State:\t\t\t${prettyPrint(n.status.state)}`);
  if (n.status.message) l.push(` Message:              \t${n.status.message}`);
  l.push(` Availability:         \t${prettyPrint(n.spec.availability)}`);
  if (n.status.addr) l.push(` Address:\t\t${n.status.addr}`);
  if (n.managerStatus) {
    l.push("Manager Status:");
    l.push(` Address:\t\t${n.managerStatus.addr}`);
    l.push(` Raft Status:\t\t${prettyPrint(n.managerStatus.reachability)}`);
    l.push(` Leader:\t\t${n.managerStatus.leader ? "Yes" : "No"}`);
  }
  const d = n.description;
  l.push("Platform:");
  l.push(` Operating System:\t${d?.platform.os ?? ""}`);
  l.push(` Architecture:\t\t${d?.platform.architecture ?? ""}`);
  l.push("Resources:");
  l.push(` CPUs:\t\t\t${(d?.resources.nanoCPUs ?? 0) / 1e9}`);
  l.push(` Memory:\t\t${humanSize(d?.resources.memoryBytes ?? 0)}`);
  l.push(`Engine Version:\t\t${d?.engine.engineVersion ?? ""}`);
  return l.join("\n");
}

/** updateNodes: inspect, change, update each node in turn; the first error stops the run. */
function updateNodes(
  io: SwarmIO,
  ctx: SwarmCommandContext,
  refs: readonly string[],
  change: (n: Node) => NodeSpecPatch | "skip",
  success: (ref: string) => void,
): number {
  for (const ref of refs) {
    const r = getNode(ctx, ref);
    if (r.err) return fail(io, r.err);
    const patch = change(r.node!);
    if (patch === "skip") continue;
    const u = waitFor(ctx.sim, (done) =>
      ctx.swarm.control(CONTROL.updateNode, { id: r.node!.id, patch }, done),
    );
    if (u.err) return fail(io, u.err);
    success(ref);
  }
  return 0;
}

function roleChange(role: NodeRole, already: string, ok: (ref: string) => string): Handler {
  return (cmd, io, ctx) =>
    updateNodes(
      io,
      ctx,
      cmd.args,
      (n) => {
        if (n.spec.desiredRole === role) {
          io.out(`Node ${n.id} is already a ${already}.\n`);
          return "skip";
        }
        return { desiredRole: role };
      },
      (ref) => io.out(ok(ref)),
    );
}

export const nodePromote = roleChange(
  "manager",
  "manager",
  (ref) => `Node ${ref} promoted to a manager in the swarm.\n`,
);
export const nodeDemote = roleChange("worker", "worker", (ref) => `Manager ${ref} demoted in the swarm.\n`);

export const nodeUpdate: Handler = (cmd, io, ctx) => {
  const patch: NodeSpecPatch = {};
  if (cmd.changed.has("availability")) {
    const a = flagString(cmd, "availability").toLowerCase();
    if (a !== "active" && a !== "pause" && a !== "drain") {
      io.err(`invalid availability: ${flagString(cmd, "availability")}\n`);
      return 1;
    }
    patch.availability = a;
  }
  if (cmd.changed.has("role")) {
    const r = flagString(cmd, "role").toLowerCase();
    if (r !== "worker" && r !== "manager") {
      io.err(`invalid role ${flagString(cmd, "role")}, only worker and manager are supported\n`);
      return 1;
    }
    patch.desiredRole = r;
  }
  const adds = cmd.flags["label-add"];
  if (Array.isArray(adds) && adds.length > 0) {
    patch.labelsAdd = {};
    for (const kv of adds as string[]) {
      const i = kv.indexOf("=");
      patch.labelsAdd[i < 0 ? kv : kv.slice(0, i)] = i < 0 ? "" : kv.slice(i + 1);
    }
  }
  const rms = cmd.flags["label-rm"];
  if (Array.isArray(rms) && rms.length > 0) patch.labelsRm = rms as string[];
  const ref = cmd.args[0];
  const code = updateNodes(
    io,
    ctx,
    [ref],
    (n) => {
      for (const k of patch.labelsRm ?? [])
        if (!(k in n.spec.labels)) throw new Error(`key ${k} doesn't exist in node's labels`);
      return patch;
    },
    () => {},
  );
  if (code === 0) io.out(`${ref}\n`);
  return code;
};

export const nodeRm: Handler = (cmd, io, ctx) => {
  const errs: string[] = [];
  for (const ref of cmd.args) {
    const n = getNode(ctx, ref);
    const r = n.err
      ? { err: n.err }
      : waitFor(ctx.sim, (done) =>
          ctx.swarm.control(CONTROL.removeNode, { id: n.node!.id, force: flagBool(cmd, "force") }, done),
        );
    if (r.err) {
      errs.push(`Error response from daemon: ${r.err.message}`);
      continue;
    }
    io.out(`${ref}\n`);
  }
  if (errs.length > 0) {
    io.err(`${errs.join("\n")}\n`);
    return 1;
  }
  return 0;
};

export const nodePs: Handler = (cmd, io, ctx) => {
  const refs = cmd.args.length > 0 ? cmd.args : ["self"];
  const { err, nodes } = listNodes(ctx);
  if (err) return fail(io, err);
  const names = new Map(nodes.map((n) => [n.id, hostname(n)]));
  const tasks: Task[] = [];
  for (const ref of refs) {
    const n = getNode(ctx, ref);
    if (n.err) return fail(io, n.err);
    const t = waitFor<{ tasks: Task[] }>(ctx.sim, (done) =>
      ctx.swarm.control(CONTROL.listTasks, { nodeId: n.node!.id }, done),
    );
    if (t.err) return fail(io, t.err);
    tasks.push(...t.res!.tasks);
  }
  const noTrunc = flagBool(cmd, "no-trunc");
  const name = (t: Task) => (t.slot > 0 ? `${t.serviceName}.${t.slot}` : `${t.serviceName}.${t.nodeId}`);
  tasks.sort((a, b) => naturalCompare(name(a), name(b)) || b.createdAt - a.createdAt);
  if (flagBool(cmd, "quiet")) {
    for (const t of tasks) io.out(`${noTrunc ? t.id : truncateId(t.id)}\n`);
    return 0;
  }
  const rows = [["ID", "NAME", "IMAGE", "NODE", "DESIRED STATE", "CURRENT STATE", "ERROR", "PORTS"]];
  const now = ctx.sim.now();
  for (const t of tasks) {
    const e = t.status.err ?? "";
    rows.push([
      noTrunc ? t.id : truncateId(t.id),
      name(t),
      t.spec.container.image.split("@")[0],
      names.get(t.nodeId) ?? t.nodeId,
      prettyPrint(taskStateName(t.desiredState)),
      taskStateAgo(taskStateName(t.status.state), Math.max(0, now - t.status.timestamp)),
      e ? `"${!noTrunc && e.length > 29 ? `${e.slice(0, 29)}…` : e}"` : "",
      "",
    ]);
  }
  io.out(tabwriter(rows, { minwidth: 10, padding: 3 }));
  return 0;
};
