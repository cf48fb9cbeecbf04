// The rows of `docker service ls`, `service ps` / `node ps` / `stack ps`, `stack ls` and
// `stack services` as the CLI's formatters see them (cli/command/service/formatter.go,
// cli/command/task/formatter.go and print.go, cli/command/stack/formatter): their columns,
// default tables, raw layouts and headers.
import { type Node, type Service, type Task, taskStateName } from "../../api/types";
import { type HeaderMap, listContext, listFormat, TABLE_FORMAT } from "../../cli/format/formatter";
import { humanDuration } from "../../cli/format/duration";
import { ellipsis, prettyPrint, truncateId } from "../../cli/format/text";
import type { GoStruct } from "../../cli/format/template";
import type { MemoryStore } from "../../manager/store/memory-store";
import { imageOf, modeOf, portsText, replicasText, sortTasks, taskName } from "./format";

// --- services ---

const SERVICE_TABLE_FORMAT =
  "table {{.ID}}\\t{{.Name}}\\t{{.Mode}}\\t{{.Replicas}}\\t{{.Image}}\\t{{.Ports}}";

export const SERVICE_HEADER: HeaderMap = {
  ID: "ID",
  Name: "NAME",
  Mode: "MODE",
  Replicas: "REPLICAS",
  Image: "IMAGE",
  Ports: "PORTS",
};

/** service.NewListFormat (also `docker stack services`). */
export function serviceListFormat(source: string, quiet: boolean): string {
  return listFormat(source, quiet, SERVICE_TABLE_FORMAT, {
    quiet: "id: {{.ID}}",
    full: "id: {{.ID}}\\nname: {{.Name}}\\nmode: {{.Mode}}\\nreplicas: {{.Replicas}}\\nimage: {{.Image}}\\nports: {{.Ports}}\\n",
  });
}

export function serviceContext(store: MemoryStore, s: Service): GoStruct {
  return listContext("service.serviceContext", {
    ID: () => truncateId(s.id),
    Name: () => s.spec.name,
    Mode: () => modeOf(s),
    Replicas: () => replicasText(store, s),
    Image: () => imageOf(s.spec.task.container.image),
    Ports: () => portsText(s.endpoint?.ports ?? s.spec.endpoint.ports),
  });
}

// --- tasks ---

const TASK_TABLE_FORMAT =
  "table {{.ID}}\\t{{.Name}}\\t{{.Image}}\\t{{.Node}}\\t{{.DesiredState}}\\t{{.CurrentState}}\\t{{.Error}}\\t{{.Ports}}";

export const TASK_HEADER: HeaderMap = {
  ID: "ID",
  Name: "NAME",
  Image: "IMAGE",
  Node: "NODE",
  DesiredState: "DESIRED STATE",
  CurrentState: "CURRENT STATE",
  Error: "ERROR",
  Ports: "PORTS",
};

/** task.NewTaskFormat. */
export function taskFormat(source: string, quiet: boolean): string {
  return listFormat(source, quiet, TASK_TABLE_FORMAT, {
    quiet: "id: {{.ID}}",
    full: "id: {{.ID}}\\nname: {{.Name}}\\nimage: {{.Image}}\\nnode: {{.Node}}\\ndesired_state: {{.DesiredState}}\\ncurrent_state: {{.CurrentState}}\\nerror: {{.Error}}\\nports: {{.Ports}}\\n",
  });
}

export interface TaskRowOptions {
  /** Truncate IDs, images and errors (no --no-trunc). */
  trunc: boolean;
  /** --no-resolve: service and node IDs instead of their names. */
  noResolve: boolean;
  now: number;
  node(id: string): Node | undefined;
}

/**
 * The rows of task.Print: sorted by name then newest first; in a table an older task of the
 * same slot is indented with " \_ ".
 */
export function taskContexts(tasks: readonly Task[], format: string, o: TaskRowOptions): GoStruct[] {
  const indent = format.startsWith(TABLE_FORMAT) ? " \\_ " : "";
  const named = tasks.map((t) => ({ t, name: resolvedName(t, o) }));
  const order = new Map(sortTasks(tasks).map((t, i) => [t, i]));
  named.sort((a, b) => order.get(a.t)! - order.get(b.t)!);
  let prev = "";
  return named.map(({ t, name }) => {
    const shown = name === prev ? indent + name : name;
    prev = name;
    return taskContext(t, shown, o);
  });
}

/** `<service>.<slot>` or `<service>.<node ID>`, with the service's ID under --no-resolve. */
function resolvedName(t: Task, o: TaskRowOptions): string {
  if (!o.noResolve) return taskName(t);
  return t.slot > 0 ? `${t.serviceId}.${t.slot}` : `${t.serviceId}.${t.nodeId}`;
}

function taskContext(t: Task, name: string, o: TaskRowOptions): GoStruct {
  return listContext("task.taskContext", {
    ID: () => (o.trunc ? truncateId(t.id) : t.id),
    Name: () => name,
    Image: () => (o.trunc ? imageOf(t.spec.container.image) : t.spec.container.image),
    Node: () => (o.noResolve ? t.nodeId : (o.node(t.nodeId)?.description?.hostname ?? "")),
    DesiredState: () => prettyPrint(taskStateName(t.desiredState)),
    CurrentState: () =>
      `${prettyPrint(taskStateName(t.status.state))} ${humanDuration(Math.max(0, o.now - t.status.timestamp)).toLowerCase()} ago`,
    Error: () => {
      const err = o.trunc ? ellipsis(t.status.err ?? "", 30) : (t.status.err ?? "");
      return err ? `"${err}"` : "";
    },
    // Host-mode ports, joined with "," (the service list joins its own with ", ").
    Ports: () =>
      (t.status.ports ?? [])
        .filter((p) => p.publishMode === "host")
        .map((p) => `*:${p.publishedPort}->${p.targetPort}/${p.protocol}`)
        .join(","),
  });
}

// --- stacks ---

const STACK_TABLE_FORMAT = "table {{.Name}}\\t{{.Services}}";

export const STACK_HEADER: HeaderMap = { Name: "NAME", Services: "SERVICES" };

/** `docker stack ls`: "" and "table" are the default table; there is no raw layout or -q. */
export function stackListFormat(source: string): string {
  return source === "" || source === TABLE_FORMAT ? STACK_TABLE_FORMAT : source;
}

export function stackContext(name: string, services: number): GoStruct {
  return listContext("formatter.stackContext", { Name: () => name, Services: () => String(services) });
}
