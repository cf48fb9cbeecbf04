// `docker node ls|inspect|promote|demote|rm|update|ps` (cli/command/node/*.go; SWARMKIT.md
// §6.1, §6.5). Every call goes through this node's manager to the leader.
import type { Cluster, Node, NodeRole, Task } from "../../api/types";
import { printFormatted } from "../../cli/format/formatter";
import { renderInspect } from "../../cli/format/inspect-format";
import { bytesSize } from "../../cli/format/size";
import { naturalCompare } from "../../cli/format/natural-sort";
import { prettyPrint } from "../../cli/format/text";
import { CONTROL } from "../../api/methods";
import type { NodeSpecPatch } from "../../manager/controlapi/nodes";
import { DaemonError } from "../../node/errors";
import { asLookupError } from "../../node/lookup";
import type { Job } from "../../cli/job";
import { SWARM_SCHEMA } from "../api-schema";
import { filterItems, groupFilters, hasAnyPrefix, labelsMatch, matchesFilters } from "../list-filters";
import {
  type DockerIO,
  errorText,
  fail,
  flagBool,
  flagString,
  request,
  type SwarmCommandContext,
  type SwarmHandler as Handler,
  writeOutput,
} from "../io";
import { filterTasks } from "../service/filters";
import { TASK_HEADER, taskContexts, taskFormat } from "../service/list-format";
import { NODE_HEADER, nodeContext, nodeListFormat } from "./node-format";
import { nodeToApi } from "./node-json";

function* listNodes(ctx: SwarmCommandContext): Job<{ err: Error | null; nodes: Node[] }> {
  const r = yield* request<{ nodes: Node[] }>((done) => ctx.swarm.control(CONTROL.listNodes, {}, done));
  return { err: r.err, nodes: r.res?.nodes ?? [] };
}

/** dockerd's getNode: a reference resolved on the leader, its failure in dockerd's words. */
function* getNode(ctx: SwarmCommandContext, ref: string): Job<{ err: Error | null; node?: Node }> {
  const r = yield* request<{ node: Node }>((done) =>
    ctx.swarm.control(CONTROL.getNode, { ref: ref === "self" ? ctx.swarm.nodeId : ref }, done),
  );
  return { err: r.err && asLookupError(r.err), node: r.res?.node };
}

function hostname(n: Node): string {
  return n.description?.hostname ?? "";
}

/** The filters `docker node ls -f` accepts (dockerd's newListNodeFilters). */
const NODE_FILTERS = new Set(["id", "label", "node.label", "membership", "name", "role"]);

/**
 * Applies -f filters as dockerd checks them and SwarmKit's ListNodes applies them: id and name
 * (the hostname) are prefixes, `label` matches the engine's labels and `node.label` the node's
 * own.
 */
function filterNodes(nodes: Node[], items: string[]): Node[] | Error {
  const filters = groupFilters(items, NODE_FILTERS);
  if (filters instanceof Error) return filters;
  for (const [key, values] of [...filters].filter(([k]) => k === "role" || k === "membership")) {
    const known = key === "role" ? ["worker", "manager"] : ["accepted", "pending"];
    const bad = values.find((v) => v !== "" && !known.includes(v.toLowerCase()));
    if (bad !== undefined) return new DaemonError(`Invalid ${key} filter: '${bad}'`);
  }
  return nodes.filter((n) =>
    matchesFilters(filters, (key, values) => {
      switch (key) {
        case "id":
          return hasAnyPrefix(n.id, values);
        case "name":
          return hasAnyPrefix(hostname(n), values);
        case "role":
          return values.some((v) => v === "" || n.role === v.toLowerCase());
        case "membership":
          // Every node the simulator lists has been accepted (it joined with a valid token).
          return values.some((v) => v === "" || v.toLowerCase() === "accepted");
        case "label":
          return labelsMatch(n.description?.engine.labels ?? {}, values);
        default:
          return labelsMatch(n.spec.labels, values);
      }
    }),
  );
}

export const nodeLs: Handler = function* (cmd, io, ctx) {
  const listed = yield* listNodes(ctx);
  if (listed.err) return fail(io, listed.err);
  const nodes = filterNodes(listed.nodes, filterItems(cmd));
  if (nodes instanceof Error) return fail(io, nodes);
  const sorted = [...nodes].sort((a, b) => naturalCompare(hostname(a), hostname(b)));
  const quiet = flagBool(cmd, "quiet");
  // Like the CLI, ask for `docker info` (the node's own ID, the cluster's TLS) only for a listing.
  let cluster: Cluster | undefined;
  if (sorted.length > 0 && !quiet) {
    const c = yield* request<{ cluster: Cluster }>((done) => ctx.swarm.control(CONTROL.getCluster, {}, done));
    if (c.err) return fail(io, c.err);
    cluster = c.res!.cluster;
  }
  const self = quiet ? "" : ctx.swarm.nodeId;
  const format = nodeListFormat(flagString(cmd, "format") || "table", quiet);
  return printFormatted(
    io,
    format,
    NODE_HEADER,
    sorted.map((n) => nodeContext(n, self, cluster)),
  );
};

export const nodeInspect: Handler = function* (cmd, io, ctx) {
  if (flagBool(cmd, "pretty")) {
    const found: Node[] = [];
    for (const ref of cmd.args) {
      const r = yield* getNode(ctx, ref);
      if (r.err) return fail(io, r.err);
      found.push(r.node!);
    }
    io.out(found.map((n) => prettyNode(n, ctx)).join("\n\n\n"));
    io.out("\n");
    return 0;
  }
  // inspect.Inspect: every node that is found is printed, then the errors of the others.
  const found: unknown[] = [];
  const errors: string[] = [];
  for (const ref of cmd.args) {
    const r = yield* getNode(ctx, ref);
    if (r.err) errors.push(errorText(r.err));
    else found.push(nodeToApi(r.node!, ctx.sim.epochMs));
  }
  return writeOutput(
    io,
    renderInspect(found, errors, flagString(cmd, "format"), {
      type: { name: "swarm.Node", schema: SWARM_SCHEMA },
      // The command wraps every error, a template's included, in exit status 1.
      parseErrorCode: 1,
    }),
  );
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
  // node formatter ResourceMemory: go-units BytesSize (binary units), as docker info's Total Memory.
  l.push(` Memory:\t\t${bytesSize(d?.resources.memoryBytes ?? 0)}`);
  l.push(`Engine Version:\t\t${d?.engine.engineVersion ?? ""}`);
  return l.join("\n");
}

/** updateNodes: inspect, change, update each node in turn; the first error stops the run. */
function* updateNodes(
  io: DockerIO,
  ctx: SwarmCommandContext,
  refs: readonly string[],
  change: (n: Node) => NodeSpecPatch | "skip",
  success: (ref: string) => void,
): Job<number> {
  for (const ref of refs) {
    const r = yield* getNode(ctx, ref);
    if (r.err) return fail(io, r.err);
    const patch = change(r.node!);
    if (patch === "skip") continue;
    const u = yield* request((done) =>
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

export const nodeUpdate: Handler = function* (cmd, io, ctx) {
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
  const code = yield* updateNodes(
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

export const nodeRm: Handler = function* (cmd, io, ctx) {
  const errs: string[] = [];
  for (const ref of cmd.args) {
    const n = yield* getNode(ctx, ref);
    const r = n.err
      ? { err: n.err }
      : yield* request((done) =>
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

export const nodePs: Handler = function* (cmd, io, ctx) {
  const refs = cmd.args.length > 0 ? cmd.args : ["self"];
  const { err, nodes } = yield* listNodes(ctx);
  if (err) return fail(io, err);
  const tasks: Task[] = [];
  for (const ref of refs) {
    const n = yield* getNode(ctx, ref);
    if (n.err) return fail(io, n.err);
    const t = yield* request<{ tasks: Task[] }>((done) =>
      ctx.swarm.control(CONTROL.listTasks, { nodeId: n.node!.id }, done),
    );
    if (t.err) return fail(io, t.err);
    for (const task of t.res!.tasks) tasks.push(task);
  }
  const shown = filterTasks(ctx.swarm.manager!.store, filterItems(cmd), tasks);
  if (shown instanceof Error) return fail(io, shown);
  const quiet = flagBool(cmd, "quiet");
  const format = taskFormat(flagString(cmd, "format") || "table", quiet);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const rows = taskContexts(shown, format, {
    trunc: !quiet && !flagBool(cmd, "no-trunc"),
    noResolve: flagBool(cmd, "no-resolve"),
    now: ctx.sim.now(),
    node: (id) => byId.get(id),
  });
  return printFormatted(io, format, TASK_HEADER, rows);
};
