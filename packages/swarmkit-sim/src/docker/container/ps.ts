// `docker ps` (`docker container ls`): the daemon's containers (on node1 its docker:dind nodes
// too), filtered and formatted as the CLI does (ps-format.ts).
import { printFormatted } from "../../cli/format/formatter";
import type { ParsedCommand } from "../../cli/grammar/types";
import { type DockerIO, flagList, flagString } from "../io";
import { isRunning } from "./containers";
import type { DaemonContext } from "./context";
import { daemonContainers } from "./engine-containers";
import { CONTAINER_HEADER, containerContext, containerFormat } from "./ps-format";

export function dockerPs(cmd: ParsedCommand, io: DockerIO, ctx: DaemonContext): number {
  let list = daemonContainers(ctx.engine, ctx.dind?.containers ?? []);
  const all =
    cmd.flags.all === true ||
    cmd.flags.latest === true ||
    (cmd.changed.has("last") && Number(cmd.flags.last) >= 0);
  if (!all) list = list.filter(isRunning);
  if (cmd.flags.latest === true) list = list.slice(0, 1);
  else if (cmd.changed.has("last") && Number(cmd.flags.last) >= 0)
    list = list.slice(0, Number(cmd.flags.last));
  for (const f of flagList(cmd, "filter")) {
    const eq = f.indexOf("=");
    const key = f.slice(0, eq).toLowerCase();
    const value = f.slice(eq + 1);
    if (key === "name") list = list.filter((c) => nameMatches(value, c.name));
    else if (key === "status") list = list.filter((c) => c.state() === value);
    else if (key === "id") list = list.filter((c) => c.id.startsWith(value));
    else if (key === "ancestor")
      list = list.filter((c) => c.image === value || c.image.startsWith(`${value}:`));
    else {
      io.err(`Error response from daemon: invalid filter '${key}'\n`);
      return 1;
    }
  }
  const format = containerFormat(
    flagString(cmd, "format"),
    cmd.flags.quiet === true,
    cmd.flags.size === true,
  );
  const trunc = cmd.flags["no-trunc"] !== true;
  const now = ctx.sim.now();
  return printFormatted(
    io,
    format,
    CONTAINER_HEADER,
    list.map((c) => containerContext(c, now, trunc, ctx.sim.epochMs)),
  );
}

/**
 * The daemon's name filter (filters.Args.Match): the exact name, or the value as a regular
 * expression found in the name with or without its leading "/" (so `name=^/web$` and
 * `name=^web$` both pick exactly web). A value that is no valid expression matches only exactly.
 */
function nameMatches(value: string, name: string): boolean {
  if (value === name || value === `/${name}`) return true;
  let re: RegExp;
  try {
    re = new RegExp(value);
  } catch {
    return false;
  }
  return re.test(`/${name}`) || re.test(name);
}
