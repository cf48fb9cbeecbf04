// `docker service create|ls|ps|inspect|scale|update|rollback|rm|logs`
// (cli/command/service/*.go). Writes wait for the cluster to accept them; without --detach,
// create/update/scale/rollback then follow the service until it converges (progress.ts).
import type { Service, ServiceSpec, Task } from "../../api/types";
import type { ParsedCommand } from "../../cli/grammar/types";
import { parseScaleArgs } from "../../cli/grammar/scale";
import { randomContainerName } from "../../engine/names";
import { printFormatted } from "../../cli/format/formatter";
import type { MemoryStore } from "../../manager/store/memory-store";
import { LookupError } from "../../node/errors";
import { renderInspect } from "../../cli/format/inspect-format";
import { naturalCompare } from "../../cli/format/natural-sort";
import type { Job } from "../../cli/job";
import { SWARM_SCHEMA } from "../api-schema";
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
import {
  createService,
  removeService,
  lookupService,
  rollbackService,
  updateService,
} from "./control-client";
import { cliRandom, controlOf, storeOf } from "./context";
import { digestWarning, notSimulatedNote } from "../image-catalog";
import { filterItems } from "../list-filters";
import { filterServices, filterTasks } from "./filters";
import { serviceToApi } from "./inspect";
import { prettyService } from "./pretty";
import {
  SERVICE_HEADER,
  serviceContext,
  serviceListFormat,
  TASK_HEADER,
  taskContexts,
  taskFormat,
} from "./list-format";
import { waitConverged } from "./progress";
import { FlagError, specFromCreate, specFromUpdate } from "./spec-flags";

function flagError(io: DockerIO, cmd: ParsedCommand, e: Error): number {
  if (e instanceof FlagError) {
    io.err(`${e.message}\nSee '${cmd.commandPath} --help'.\n`);
    return 1;
  }
  return fail(io, e);
}

/** Follows the service until it converges, unless --detach / --quiet say otherwise. */
function* follow(cmd: ParsedCommand, io: DockerIO, ctx: SwarmCommandContext, serviceId: string): Job<number> {
  if (flagBool(cmd, "detach")) return 0;
  const r = yield* waitConverged(() => ctx.sim.now(), storeOf(ctx), serviceId);
  if (r.code < 0) {
    if (!flagBool(cmd, "quiet")) io.out(r.text);
    const s = ctx.swarm.manager?.store.get("service", serviceId);
    const state = s?.updateStatus?.state === "rollback_paused" ? "rollback" : "update";
    io.err(`service ${state} paused: ${s?.updateStatus?.message ?? ""}\n`);
    return 1;
  }
  if (!flagBool(cmd, "quiet")) io.out(r.text);
  return 0;
}

export const serviceCreate: Handler = function* (cmd, io, ctx) {
  const c = yield* controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  let spec: ServiceSpec;
  try {
    const name = randomContainerName(cliRandom(ctx), (n) => !!c.store.serviceByName(n));
    spec = specFromCreate(cmd, c.store, name);
  } catch (e) {
    return flagError(io, cmd, e as Error);
  }
  const r = yield* request<Service>((done) => createService(c, spec, done));
  if (r.err) return fail(io, r.err);
  if (!flagBool(cmd, "no-resolve-image")) warnUnknownImage(io, ctx, spec.task.container.image);
  io.out(`${r.res!.id}\n`);
  return yield* follow(cmd, io, ctx, r.res!.id);
};

/** The daemon's warning for an image no registry has (and the lab's note on what it has). */
function warnUnknownImage(io: DockerIO, ctx: SwarmCommandContext, image: string): void {
  const registry = ctx.registry;
  if (registry === undefined || registry.has(image)) return;
  io.err(digestWarning(image));
  io.err(notSimulatedNote(image, registry));
}

export const serviceLs: Handler = function* (cmd, io, ctx) {
  const c = yield* controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  const services = filterServices(c.store.services(), filterItems(cmd));
  if (services instanceof Error) return fail(io, services);
  return printServices(cmd, io, c.store, services);
};

/** service.ListFormatWrite: sorted by name; -q and "table" pick the formats the CLI picks. */
export function printServices(
  cmd: ParsedCommand,
  io: DockerIO,
  store: MemoryStore,
  services: readonly Service[],
): number {
  const format = serviceListFormat(flagString(cmd, "format") || "table", flagBool(cmd, "quiet"));
  const sorted = [...services].sort((a, b) => naturalCompare(a.spec.name, b.spec.name));
  return printFormatted(
    io,
    format,
    SERVICE_HEADER,
    sorted.map((s) => serviceContext(store, s)),
  );
}

/** The task table of service ps and stack ps (the tasks already filtered, see ./filters.ts). */
export function printTasks(
  cmd: ParsedCommand,
  io: DockerIO,
  ctx: SwarmCommandContext,
  shown: readonly Task[],
): number {
  const store = ctx.swarm.manager!.store;
  // -q prints whole IDs (the CLI turns truncation off for it).
  const quiet = flagBool(cmd, "quiet");
  const format = taskFormat(flagString(cmd, "format") || "table", quiet);
  const rows = taskContexts(shown, format, {
    trunc: !quiet && !flagBool(cmd, "no-trunc"),
    noResolve: flagBool(cmd, "no-resolve"),
    now: ctx.sim.now(),
    node: (id) => store.get("node", id),
  });
  return printFormatted(io, format, TASK_HEADER, rows);
}

export const servicePs: Handler = function* (cmd, io, ctx) {
  const c = yield* controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  // ps.go createFilter: each reference by full ID, then full name, then ID prefix (dockerd's
  // order too; two services under one prefix is the CLI's own error), added to the user's
  // filters as service=ID, so that a -f service=X adds to them. References that match nothing
  // are reported after the table; when none matches, instead of it.
  const items = filterItems(cmd);
  const missing: string[] = [];
  for (const ref of cmd.args) {
    try {
      items.push(`service=${lookupService(c.store, ref).id}`);
    } catch (e) {
      if (!(e instanceof LookupError)) throw e;
      if (!e.notFound) {
        io.err(`multiple services found with provided prefix: ${ref}\n`);
        return 1;
      }
      missing.push(`no such service: ${ref}`);
    }
  }
  if (missing.length === cmd.args.length) {
    io.err(`${missing.join("\n")}\n`);
    return 1;
  }
  const tasks = filterTasks(c.store, items);
  if (tasks instanceof Error) return fail(io, tasks);
  const code = printTasks(cmd, io, ctx, tasks);
  if (missing.length === 0) return code;
  io.err(`${missing.join("\n")}\n`);
  return 1;
};

/** inspect.go's getRef: a service not found is the CLI's own text; other errors the daemon's. */
function inspectErrorText(err: Error, ref: string): string {
  return err instanceof LookupError && err.notFound ? `Error: no such service: ${ref}` : errorText(err);
}

export const serviceInspect: Handler = function* (cmd, io, ctx) {
  const c = yield* controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  // The CLI's "raw" format (its default) is the plain inspector; "raw" prefixes a template.
  const format = flagString(cmd, "format").replace(/^raw/, "");
  // --pretty (or --format pretty): the human-friendly text, one service after the other.
  if (cmd.flags.pretty === true || format === "pretty") {
    let status = 0;
    for (const ref of cmd.args) {
      try {
        const s = lookupService(c.store, ref);
        io.out(prettyService(s, (id) => c.store.get("network", id)?.spec.name));
      } catch (e) {
        io.err(`${inspectErrorText(e as Error, ref)}\n`);
        status = 1;
      }
    }
    return status;
  }
  const found: unknown[] = [];
  const errors: string[] = [];
  for (const ref of cmd.args) {
    try {
      found.push(serviceToApi(lookupService(c.store, ref), ctx.sim.epochMs));
    } catch (e) {
      errors.push(inspectErrorText(e as Error, ref));
    }
  }
  return writeOutput(
    io,
    renderInspect(found, errors, format, {
      type: { name: "swarm.Service", schema: SWARM_SCHEMA },
      parseErrorCode: 1,
    }),
  );
};

export const serviceScale: Handler = function* (cmd, io, ctx) {
  const c = yield* controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  const errors: string[] = [];
  const scaled: string[] = [];
  for (const a of parseScaleArgs(cmd.args)) {
    if ("error" in a) {
      errors.push(a.error);
      continue;
    }
    const name = a.service;
    const n = a.replicas;
    const r = yield* request<Service>((done) =>
      updateService(
        c,
        name,
        (spec) => {
          // scale.go: a replicated job's total completions, a replicated service's replicas.
          if (spec.mode.kind === "replicated-job") spec.mode = { ...spec.mode, totalCompletions: n };
          else if (spec.mode.kind === "replicated") spec.mode = { kind: "replicated", replicas: n };
          else throw new Error("scale can only be used with replicated or replicated-job mode");
          return spec;
        },
        done,
      ),
    );
    if (r.err) {
      // scale.go: each failure as "SERVICE: error", the daemon's with its prefix.
      errors.push(`${name}: ${errorText(r.err)}`);
      continue;
    }
    io.out(`${name} scaled to ${n}\n`);
    scaled.push(r.res!.id);
  }
  let code = 0;
  if (!flagBool(cmd, "detach")) for (const id of scaled) code = (yield* follow(cmd, io, ctx, id)) || code;
  if (errors.length) {
    io.err(`${errors.join("\n")}\n`);
    return 1;
  }
  return code;
};

export const serviceUpdate: Handler = function* (cmd, io, ctx) {
  const c = yield* controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  const ref = cmd.args[0];
  let r: { err: Error | null; res?: Service };
  if (flagBool(cmd, "rollback")) r = yield* request<Service>((done) => rollbackService(c, ref, done));
  else {
    try {
      lookupService(c.store, ref);
    } catch (e) {
      return fail(io, e as Error);
    }
    let editErr: Error | null = null;
    r = yield* request<Service>((done) =>
      updateService(
        c,
        ref,
        (spec) => {
          try {
            return specFromUpdate(cmd, c.store, spec);
          } catch (e) {
            editErr = e as Error;
            throw e;
          }
        },
        done,
      ),
    );
    if (editErr) return flagError(io, cmd, editErr);
  }
  if (r.err) return fail(io, r.err);
  // update.go asks the daemon to resolve the image only when --image changed it.
  if (cmd.changed.has("image") && !flagBool(cmd, "no-resolve-image"))
    warnUnknownImage(io, ctx, r.res!.spec.task.container.image);
  io.out(`${ref}\n`);
  return yield* follow(cmd, io, ctx, r.res!.id);
};

export const serviceRollback: Handler = function* (cmd, io, ctx) {
  const c = yield* controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  const ref = cmd.args[0];
  const r = yield* request<Service>((done) => rollbackService(c, ref, done));
  if (r.err) return fail(io, r.err);
  io.out(`${ref}\n`);
  if (!flagBool(cmd, "detach") && !flagBool(cmd, "quiet")) io.out("rollback: manually requested rollback\n");
  return yield* follow(cmd, io, ctx, r.res!.id);
};

export const serviceRm: Handler = function* (cmd, io, ctx) {
  const c = yield* controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  const errors: string[] = [];
  for (const ref of cmd.args) {
    const r = yield* request<Service>((done) => removeService(c, ref, done));
    if (r.err) errors.push(`Error response from daemon: ${r.err.message}`);
    else io.out(`${ref}\n`);
  }
  if (errors.length) {
    io.err(`${errors.join("\n")}\n`);
    return 1;
  }
  return 0;
};
