// `docker service logs [OPTIONS] SERVICE|TASK` (cli/command/service/logs.go): the logs of every
// task's container, read from the engine of the node it runs on, merged in time order, each
// line prefixed with `<service>.<slot>.<task id>@<node>` padded to a common width and "    | ".
import type { Service, Task } from "../../api/types";
import { attached } from "../../cli/job";
import { Engine } from "../../engine/engine";
import type { LogLine } from "../../engine/logs";
import { LookupError } from "../../node/errors";
import { fail, flagBool, type SwarmHandler } from "../io";
import { controlOf } from "./context";
import { lookupService } from "./control-client";
import { taskName } from "./format";

function resolveTarget(
  store: Parameters<typeof lookupService>[0],
  ref: string,
): { service?: Service; tasks: Task[] } {
  try {
    const service = lookupService(store, ref);
    return { service, tasks: store.tasksByService(service.id) };
  } catch (e) {
    const task = store.get("task", ref) ?? store.list("task").find((t) => t.id.startsWith(ref));
    if (task) return { tasks: [task] };
    // As the CLI does: having looked for a service and a task, it says it found neither.
    throw e instanceof LookupError && e.notFound ? new Error(`no such task or service: ${ref}`) : e;
  }
}

function parseTail(v: unknown): number | "all" {
  if (v === undefined || v === "all" || v === "") return "all";
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : "all";
}

export const serviceLogs: SwarmHandler = function* (cmd, io, ctx) {
  const c = yield* controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  let target: { service?: Service; tasks: Task[] };
  try {
    target = resolveTarget(c.store, cmd.args[0]);
  } catch (e) {
    return fail(io, e as Error);
  }
  const tail = parseTail(cmd.flags.tail);
  const noTrunc = flagBool(cmd, "no-trunc");
  const noTaskIds = flagBool(cmd, "no-task-ids");
  const raw = flagBool(cmd, "raw");
  const timestamps = flagBool(cmd, "timestamps");

  const entries: { line: LogLine; prefix: string; order: number }[] = [];
  const sources: { engine: Engine; containerId: string; prefix: string }[] = [];
  const tasks = target.tasks.slice().sort((a, b) => a.slot - b.slot || a.createdAt - b.createdAt);
  for (const t of tasks) {
    const node = t.nodeId ? c.store.get("node", t.nodeId) : undefined;
    const host = node?.description?.hostname;
    if (!t.status.containerId || !host || !ctx.sim.hasMachine(host)) continue;
    const engine = Engine.of(ctx.sim.machine(host));
    if (!engine?.find(t.status.containerId)) continue;
    const id = noTrunc ? t.id : t.id.slice(0, 12);
    const prefix = `${taskName(t)}${noTaskIds ? "" : `.${id}`}@${host}`;
    sources.push({ engine, containerId: t.status.containerId, prefix });
    for (const line of engine.logs(t.status.containerId, { tail }))
      entries.push({ line, prefix, order: entries.length });
  }
  entries.sort((a, b) => a.line.epochMs - b.line.epochMs || a.order - b.order);
  const width = Math.max(0, ...sources.map((s) => s.prefix.length));
  const write = (line: LogLine, prefix: string) => {
    const stamp = timestamps ? `${new Date(line.epochMs).toISOString()} ` : "";
    const text = `${stamp}${line.text}\n`;
    const out = raw ? text : `${prefix.padEnd(width)}    | ${text}`;
    if (line.stream === "stderr") io.err(out);
    else io.out(out);
  };
  for (const { line, prefix } of entries) write(line, prefix);
  if (!flagBool(cmd, "follow")) return 0;
  // --follow: the tasks' new lines as they come, until Ctrl-C ends the CLI (status 130).
  const pending: { line: LogLine; prefix: string }[] = [];
  const stops = sources.flatMap((s) => {
    const container = s.engine.find(s.containerId);
    return container ? [container.log.follow((line) => pending.push({ line, prefix: s.prefix }))] : [];
  });
  try {
    for (;;) {
      yield* attached(() => pending.length > 0, "docker service logs --follow", false);
      for (const p of pending.splice(0)) write(p.line, p.prefix);
    }
  } finally {
    for (const stop of stops) stop();
  }
};
