// Wires every handler of the lab into its DockerCli: the container commands (run, ps, stop, ...),
// docker exec, network connect/disconnect, the control plane's swarm/node/info handlers
// (resolved to the node of the shell the command runs in), and the lab's shell commands.
import type { ParsedCommand } from "../cli/grammar/types";
import { registerSwarmCommands } from "../swarm/index";
import {
  dockerKill,
  dockerLogs,
  dockerPause,
  dockerPs,
  dockerRestart,
  dockerRm,
  dockerRun,
  dockerStart,
  dockerStop,
  dockerUnpause,
} from "./container-commands";
import { dockerExec } from "./exec-command";
import type { Lab } from "./lab";
import { type BuiltinCommand, labCommands } from "./lab-commands";
import { networkConnect, networkCreate, networkDisconnect, networkLs, networkRm } from "./network-commands";
import type { Shell } from "./node";
import type { LabIO } from "./plugin";
import { shellCommands } from "./shell-commands";

type Handler = (cmd: ParsedCommand, io: LabIO, shell: Shell) => number;

/** Registers the lab's handlers on `lab.cli`; returns the lab's own shell commands (for help). */
export function registerLabHandlers(lab: Lab): BuiltinCommand[] {
  const cli = lab.cli;
  const docker: [string[], Handler][] = [
    [["container", "run"], dockerRun(lab)],
    [["container", "ls"], dockerPs(lab)],
    [["container", "stop"], dockerStop(lab)],
    [["container", "start"], dockerStart(lab)],
    [["container", "restart"], dockerRestart(lab)],
    [["container", "kill"], dockerKill(lab)],
    [["container", "pause"], dockerPause(lab)],
    [["container", "unpause"], dockerUnpause(lab)],
    [["container", "rm"], dockerRm(lab)],
    [["container", "logs"], dockerLogs(lab)],
    [["container", "exec"], dockerExec(lab)],
    [["network", "connect"], networkConnect(lab)],
    [["network", "disconnect"], networkDisconnect(lab)],
    [["network", "create"], networkCreate(lab)],
    [["network", "ls"], networkLs(lab)],
    [["network", "rm"], networkRm(lab)],
  ];
  for (const [path, handler] of docker) cli.register(path, (cmd, io) => handler(cmd, io, io.context));

  registerSwarmCommands(cli, (io) => lab.swarmContext(io.context));

  const builtins = [...labCommands(lab), ...shellCommands(lab)];
  for (const c of builtins) {
    cli.registerLab({
      name: c.name,
      usage: c.synopsis,
      summary: c.description,
      run: (argv, io) => c.run(argv, io, io.context),
    });
  }
  return builtins;
}
