// `docker stack deploy|ls|ps|services|rm` (cli/command/stack/swarm/*.go): a stack is the
// services and networks labelled com.docker.stack.namespace=<name>.
import type { Network, Service, ServiceSpec } from "../../api/types";
import { printFormatted } from "../../cli/format/formatter";
import { naturalCompare } from "../../cli/format/natural-sort";
import { DaemonError } from "../../node/errors";
import { GrpcError } from "../../transport/grpc-error";
import { type DockerIO, fail, flagString, request, type SwarmHandler as Handler } from "../io";
import { controlOf } from "../service/context";
import {
  createNetwork,
  createService,
  removeNetwork,
  removeService,
  type ServiceControl,
  updateService,
} from "../service/control-client";
import { STACK_HEADER, stackContext, stackListFormat } from "../service/list-format";
import { filterServices, filterTasks } from "../service/filters";
import { printServices, printTasks } from "../service/service-cmds";
import { filterItems } from "../list-filters";
import { ComposeError, NAMESPACE_LABEL, parseCompose } from "./compose-file";

/**
 * Without a reader from its host the command sees no files at all: the library never reads the
 * host's file system on a command's behalf (a host that wants it hands a reader in).
 */
function noFiles(p: string): string {
  throw new Error(`open ${p}: no such file or directory`);
}

const inStack = (labels: Record<string, string>, stack: string) => labels[NAMESPACE_LABEL] === stack;

export const stackDeploy: Handler = function* (cmd, io, ctx) {
  const c = yield* controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  const stack = cmd.args[0];
  const files = (cmd.flags["compose-file"] as string[] | undefined) ?? [];
  if (files.length === 0) {
    io.err("Please specify only one compose file (with --compose-file).\n");
    return 1;
  }
  let plan: ReturnType<typeof parseCompose>;
  try {
    const text = files[0] === "-" ? (io.stdin ?? "") : (ctx.readFile ?? noFiles)(files[0]);
    // The CLI substitutes variables from its environment (the shell's, in the lab).
    plan = parseCompose(text, stack, io.env ?? {});
  } catch (e) {
    io.err(`${e instanceof ComposeError ? e.message : (e as Error).message}\n`);
    return 1;
  }
  if (plan.unsupported.length > 0) io.err(`Ignoring unsupported options: ${plan.unsupported.join(", ")}\n\n`);
  if (plan.deprecated.length > 0) io.err(`Ignoring deprecated options:\n\n${plan.deprecated.join("\n")}\n\n`);
  const ids = new Map<string, string>();
  for (const n of plan.networks) {
    const existing = c.store.networkByName(n.name);
    if (existing) {
      ids.set(n.name, existing.id);
      continue;
    }
    if (n.external) {
      io.err(
        `network "${n.name}" is declared as external, but could not be found. You need to create a swarm-scoped network before the stack is deployed\n`,
      );
      return 1;
    }
    io.out(`Creating network ${n.name}\n`);
    const r = yield* request<Network>((done) =>
      createNetwork(c, { name: n.name, attachable: false, labels: n.labels }, done),
    );
    if (r.err) return fail(io, r.err);
    ids.set(n.name, r.res!.id);
  }
  for (const spec of plan.services) {
    const resolved: ServiceSpec = {
      ...spec,
      task: { ...spec.task, networks: spec.task.networks.map((n) => ({ ...n, target: ids.get(n.target)! })) },
    };
    const existing = c.store.serviceByName(spec.name);
    if (existing) {
      io.out(`Updating service ${spec.name} (id: ${existing.id})\n`);
      const r = yield* request<Service>((done) => updateService(c, existing.id, () => resolved, done));
      if (r.err) return failWith(io, `failed to update service ${spec.name}`, r.err);
    } else {
      io.out(`Creating service ${spec.name}\n`);
      const r = yield* request<Service>((done) => createService(c, resolved, done));
      if (r.err) return failWith(io, `failed to create service ${spec.name}`, r.err);
    }
  }
  return 0;
};

/** The CLI's errors.Wrapf around a daemon error: "failed to create service X: Error response ...". */
function failWith(io: DockerIO, what: string, err: Error): number {
  const daemon = err instanceof GrpcError || err instanceof DaemonError;
  io.err(`${what}: ${daemon ? "Error response from daemon: " : ""}${err.message}\n`);
  return 1;
}

function stacks(services: readonly Service[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of services) {
    const ns = s.spec.labels[NAMESPACE_LABEL];
    if (ns) out.set(ns, (out.get(ns) ?? 0) + 1);
  }
  return out;
}

export const stackLs: Handler = function* (cmd, io, ctx) {
  const c = yield* controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  const sorted = [...stacks(c.store.services())].sort((a, b) => naturalCompare(a[0], b[0]));
  return printFormatted(
    io,
    stackListFormat(flagString(cmd, "format")),
    STACK_HEADER,
    sorted.map(([name, n]) => stackContext(name, n)),
  );
};

/** The filter that selects a stack's objects (the CLI's getStackFilter). */
function stackLabel(stack: string): string {
  return `label=${NAMESPACE_LABEL}=${stack}`;
}

function stackServicesOf(control: ServiceControl, stack: string): Service[] {
  return control.store.services().filter((s) => inStack(s.spec.labels, stack));
}

export const stackServices: Handler = function* (cmd, io, ctx) {
  const c = yield* controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  // services.go: the user's filters and the stack's label go to the daemon together.
  const services = filterServices(c.store.services(), [...filterItems(cmd), stackLabel(cmd.args[0])]);
  if (services instanceof Error) return fail(io, services);
  if (services.length === 0) {
    io.err(`Nothing found in stack: ${cmd.args[0]}\n`);
    return 0;
  }
  return printServices(cmd, io, c.store, services);
};

export const stackPs: Handler = function* (cmd, io, ctx) {
  const c = yield* controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  // ps.go: the tasks the filters (with the stack's label) select; none is an error.
  const tasks = filterTasks(c.store, [...filterItems(cmd), stackLabel(cmd.args[0])]);
  if (tasks instanceof Error) return fail(io, tasks);
  if (tasks.length === 0) {
    io.err(`nothing found in stack: ${cmd.args[0]}\n`);
    return 1;
  }
  return printTasks(cmd, io, ctx, tasks);
};

export const stackRm: Handler = function* (cmd, io, ctx) {
  const c = yield* controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  let code = 0;
  for (const stack of cmd.args) {
    const services = stackServicesOf(c, stack).sort((a, b) => naturalCompare(a.spec.name, b.spec.name));
    const networks = c.store.networks().filter((n) => inStack(n.spec.labels, stack));
    if (services.length === 0 && networks.length === 0) {
      io.err(`Nothing found in stack: ${stack}\n`);
      continue;
    }
    for (const s of services) {
      io.out(`Removing service ${s.spec.name}\n`);
      const r = yield* request<Service>((done) => removeService(c, s.id, done));
      if (r.err) code = fail(io, r.err);
    }
    for (const n of networks) {
      io.out(`Removing network ${n.spec.name}\n`);
      const r = yield* request<Network>((done) => removeNetwork(c, n.id, done));
      if (r.err) code = fail(io, r.err);
    }
  }
  return code;
};
