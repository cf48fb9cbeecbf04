// Runs the swarm command handlers directly (without the shell parser), for tests of their
// output: a ParsedCommand with the flags given, and captured stdout/stderr.
import type { ParsedCommand } from "../../src/cli/grammar/types";
import { swarmCommandHandlers } from "../../src/docker/register";
import type { Sim } from "../../src/kernel/sim";
import { runJob } from "../../src/lab/host-loop";
import type { SwarmNode } from "../../src/node/swarm-node";

export interface Run {
  out: string;
  err: string;
  code: number;
}

export function docker(
  sim: Sim,
  node: SwarmNode,
  path: string,
  args: string[] = [],
  flags: Record<string, unknown> = {},
  stdin = "",
): Run {
  const p = path.split(" ");
  const entry = swarmCommandHandlers.find(([hp]) => hp.join(" ") === p.join(" "));
  if (!entry) throw new Error(`no handler for ${path}`);
  const cmd = {
    program: "docker",
    path: p,
    typedPath: p,
    id: p.join(" "),
    flags: { ...flags },
    changed: new Set(Object.keys(flags)),
    raw: {},
    args,
    globals: {},
    globalsChanged: new Set(),
    commandPath: `docker ${path}`,
    useLine: `docker ${path}`,
    argv: [...p, ...args],
  } as unknown as ParsedCommand;
  let out = "";
  let err = "";
  const code = runJob(
    sim,
    entry[1](
      cmd,
      { out: (t) => (out += t), err: (t) => (err += t), stdin },
      { sim, machine: node.machine, swarm: node },
    ),
  );
  return { out, err, code };
}
