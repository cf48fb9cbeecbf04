// `docker port CONTAINER [PRIVATE_PORT[/PROTO]]`: the container's published ports, one line
// per host binding ("80/tcp -> 0.0.0.0:8000", and the IPv6 one Docker adds), or, for one
// private port, its host addresses; the CLI's errors for a container it cannot find and for a
// port that is not published.
import type { ParsedCommand } from "../../cli/grammar/types";
import type { PortBinding } from "../../engine/ports";
import type { DockerIO } from "../io";
import type { DaemonContext } from "./context";
import { resolveTarget } from "./target";

/** "0.0.0.0:8000" and "[::]:8000" for a binding on every address, as the CLI prints them. */
export function hostAddresses(b: PortBinding): string[] {
  if (b.hostIp === "0.0.0.0") return [`0.0.0.0:${b.hostPort}`, `[::]:${b.hostPort}`];
  return [`${b.hostIp}:${b.hostPort}`];
}

export function dockerPort(cmd: ParsedCommand, io: DockerIO, ctx: DaemonContext): number {
  const [ref, wanted] = cmd.args;
  const t = resolveTarget(ctx, ref);
  if (typeof t === "string") {
    io.err(`Error: ${t}\n`);
    return 1;
  }
  // A docker:dind node publishes nothing.
  const bindings = t.kind === "engine" && t.c.isRunning ? ctx.engine!.publishedPorts(t.c) : [];
  const sorted = [...bindings].sort((a, b) => a.containerPort - b.containerPort || a.hostPort - b.hostPort);
  if (wanted === undefined) {
    for (const b of sorted)
      for (const a of hostAddresses(b)) io.out(`${b.containerPort}/${b.protocol} -> ${a}\n`);
    return 0;
  }
  const m = /^(\d+)(?:\/(tcp|udp|sctp))?$/.exec(wanted);
  if (!m) {
    io.err(`Error: invalid port (${wanted}): invalid syntax\n`);
    return 1;
  }
  const proto = m[2] ?? "tcp";
  const hits = sorted.filter((b) => b.containerPort === Number(m[1]) && b.protocol === proto);
  if (hits.length === 0) {
    io.err(`Error: No public port '${m[1]}/${proto}' published for ${t.c.name}\n`);
    return 1;
  }
  for (const b of hits) for (const a of hostAddresses(b)) io.out(`${a}\n`);
  return 0;
}
